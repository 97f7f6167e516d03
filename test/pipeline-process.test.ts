// Process boundaries for real: producer process -> filter process -> consumer in this process,
// frames as pooled shared textures, every frame's content checked, children supervised.
import { describe, expect, it } from 'vitest';
import { defineSink, defineSource, inChildProcess, pipeline, type Frame, type PipelineRun } from '../src/index.js';
import { checkFrame, fillFrame } from './fixtures/pipeline-stamp.mjs';
import { spawn } from 'node:child_process';
import { childrenOf, expectNoOrphansPerTest, fixturePath, fixtureUrl, geyserError, isAlive, rejection } from './pipeline-helpers.js';

const W = 64;
const H = 64;

expectNoOrphansPerTest();

interface Delivery {
  seq: number;
  ok: boolean;
}

/** A consumer in this process that checks each frame's stamp; `onFrame` may act on it. */
function checkingConsumer(delivered: Delivery[], onFrame?: (frame: Frame) => void) {
  return defineSink('consumer', (scope) => ({
    next(frame: Frame) {
      const manager = scope.context.manager;
      const { seq, ok } = checkFrame(manager.mapTexture!(frame.texture), W, H);
      delivered.push({ seq, ok: ok && seq === frame.seq });
      onFrame?.(frame);
    },
  }));
}

const producer = (frames: number) => inChildProcess(fixtureUrl('pipeline-producer.mjs'), { name: 'producer', options: { width: W, height: H, frames } });
const passthrough = (options: Parameters<typeof inChildProcess>[1] = {}) => inChildProcess(fixtureUrl('pipeline-passthrough.mjs'), { name: 'filter', ...options });

/** Kills the filter process with `signal` when frame `atSeq` arrives. */
function killFilterAt(atSeq: number, signal: NodeJS.Signals = 'SIGKILL') {
  const killed = new Set<number>();
  return (frame: Frame): void => {
    const pid = frame.metadata.filterPid as number;
    if (frame.seq === atSeq && !killed.has(pid)) {
      killed.add(pid);
      process.kill(pid, signal);
    }
  };
}

describe('three-process pipeline on the host backend', () => {
  it('moves 1,000 frames producer process -> filter process -> parent, each intact, in order, none lost or duplicated', async () => {
    const delivered: Delivery[] = [];
    const run = pipeline(producer(1000), passthrough(), checkingConsumer(delivered), { backend: 'host' });
    await run.ready;
    const description = run.describe();
    expect(description.nodes.map(({ name, process }) => [name, process])).toEqual([
      ['producer', 'child:0'],
      ['filter', 'child:1'],
      ['consumer', 'parent'],
    ]);
    expect(description.edges.map(({ from, to, primitive, degraded, crossesProcess }) => ({ from, to, primitive, degraded, crossesProcess }))).toEqual([
      { from: 'n0', to: 'n1', primitive: 'message-order', degraded: false, crossesProcess: true },
      { from: 'n1', to: 'n2', primitive: 'message-order', degraded: false, crossesProcess: true },
    ]);
    await run.done;
    expect(delivered).toHaveLength(1000);
    expect(delivered.filter((frame) => !frame.ok)).toEqual([]);
    expect(delivered.map((frame) => frame.seq)).toEqual([...Array(1000).keys()]);
    const metrics = run.metricsSnapshot();
    const byName = Object.fromEntries(metrics.nodes.map((node) => [node.name, node]));
    expect(byName.consumer).toMatchObject({ framesIn: 1000, process: 'parent' });
    expect(byName.passthrough).toMatchObject({ framesIn: 1000, framesOut: 1000 });
    expect(byName.passthrough!.process).toBeTypeOf('number');
  });

  it('runs a parent producer through a child filter and back (frames come home to their own pool)', async () => {
    const delivered: Delivery[] = [];
    const source = defineSource('parentProducer', async (scope) => {
      for (let seq = 0; seq < 200; seq++) {
        const frame = await scope.acquireFrame({ width: W, height: H, format: 'rgba8unorm' }, { seq });
        fillFrame(scope.context.manager.mapTexture!(frame.texture), W, H, seq);
        scope.emit(frame);
      }
    });
    const run = pipeline(source, passthrough(), checkingConsumer(delivered), { backend: 'host' });
    await run.done;
    expect(delivered.map((frame) => frame.seq)).toEqual([...Array(200).keys()]);
    expect(delivered.every((frame) => frame.ok)).toBe(true);
  });
});

describe('timeline-semaphore edges', () => {
  // The GPU path (exported timeline semaphores, acquire/release as counter values) runs here on the
  // host backend's shared-memory timelines when forced: the same protocol, host-side waits.
  it('moves frames through three processes with acquire/release points on exported timelines', async () => {
    const delivered: Delivery[] = [];
    const run = pipeline(producer(300), passthrough(), checkingConsumer(delivered), { backend: 'host', sync: 'timeline-semaphore' });
    await run.ready;
    expect(run.describe().edges.map(({ primitive, degraded, reason }) => ({ primitive, degraded, reason }))).toEqual([
      { primitive: 'timeline-semaphore', degraded: false, reason: "forced by the pipeline's sync option (automatic choice: message-order)" },
      { primitive: 'timeline-semaphore', degraded: false, reason: "forced by the pipeline's sync option (automatic choice: message-order)" },
    ]);
    await run.done;
    expect(delivered.map((frame) => frame.seq)).toEqual([...Array(300).keys()]);
    expect(delivered.every((frame) => frame.ok)).toBe(true);
  });
});

describe('plain RxJS composition', () => {
  it('runs a child segment inside .pipe() with no pipeline(): the context comes with the frames', async () => {
    const { lastValueFrom, map, toArray } = await import('rxjs');
    const source = defineSource('parentProducer', async (scope) => {
      // The source opened its own context (backend 'auto'), so use the copies every backend has.
      const pixels = new Uint8Array(W * H * 4);
      for (let seq = 0; seq < 50; seq++) {
        const frame = await scope.acquireFrame({ width: W, height: H, format: 'rgba8unorm' }, { seq });
        fillFrame(pixels, W, H, seq);
        scope.context.manager.writeTexture(frame.texture, pixels);
        scope.emit(frame);
      }
    });
    const results = await lastValueFrom(
      source.pipe(
        passthrough(),
        map((frame: Frame) => {
          const { seq, ok } = checkFrame(frame.context.manager.readTexture(frame.texture), W, H);
          frame.release();
          return ok ? seq : -1;
        }),
        toArray(),
      ),
    );
    expect(results).toEqual([...Array(50).keys()]);
  });
});

describe('supervision', () => {
  it('reports kill -9 of the filter at frame 500 as NodeFailed naming node and signal; earlier frames intact', async () => {
    const delivered: Delivery[] = [];
    const run = pipeline(producer(1000), passthrough(), checkingConsumer(delivered, killFilterAt(500)), { backend: 'host' });
    const error = await rejection(run.done);
    expect(error).toMatchObject(geyserError('NodeFailed', /^node 'filter' \(child pid \d+\) was killed by SIGKILL$/));
    const upToCrash = delivered.filter((frame) => frame.seq <= 500);
    expect(upToCrash.map((frame) => frame.seq)).toEqual([...Array(501).keys()]);
    expect(delivered.every((frame) => frame.ok)).toBe(true);
  });

  it('restarts the filter after kill -9 (onFailure: restart) and the stream continues, in order and intact', async () => {
    const delivered: Delivery[] = [];
    const run = pipeline(producer(1000), passthrough({ onFailure: 'restart', maxRestarts: 1 }), checkingConsumer(delivered, killFilterAt(500)), { backend: 'host' });
    await run.done;
    const seqs = delivered.map((frame) => frame.seq);
    expect(seqs.slice(0, 501)).toEqual([...Array(501).keys()]);
    expect(seqs.at(-1)).toBe(999);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b)); // increasing, no duplicates
    expect(delivered.every((frame) => frame.ok)).toBe(true);
    // Slots the dead filter held went back to the producer (every lost frame is among them).
    const metrics = run.metricsSnapshot();
    const producerNode = metrics.nodes.find((node) => node.name === 'producer')!;
    expect(producerNode.reclaimed).toBeGreaterThan(0);
    expect(producerNode.reclaimed).toBeGreaterThanOrEqual(1000 - seqs.length);
    expect(metrics.nodes.find((node) => node.name === 'passthrough')!.restarts).toBe(1);
  });

  it('fails with NodeFailed once restarts are used up', async () => {
    const delivered: Delivery[] = [];
    const killAll = (frame: Frame): void => {
      if (frame.seq === 100 || frame.seq === 300) killFilterAt(frame.seq)(frame);
    };
    const run = pipeline(producer(1000), passthrough({ onFailure: 'restart', maxRestarts: 1 }), checkingConsumer(delivered, killAll), { backend: 'host' });
    expect(await rejection(run.done)).toMatchObject(geyserError('NodeFailed', /^node 'filter' \(child pid \d+\) was killed by SIGKILL after 1 restarts$/));
  });

  it('names the exit code of a child that exits mid-stream', async () => {
    const run = pipeline(producer(100), passthrough({ options: { exitAt: 50 } }), checkingConsumer([]), { backend: 'host' });
    expect(await rejection(run.done)).toMatchObject(geyserError('NodeFailed', /^node 'filter' \(child pid \d+\) exited with code 3$/));
  });

  it('reports why a child could not start', async () => {
    const run = pipeline(producer(10), inChildProcess(fixtureUrl('pipeline-no-factory.mjs'), { name: 'broken' }), checkingConsumer([]), { backend: 'host' });
    expect(await rejection(run.done)).toMatchObject(
      geyserError('NodeFailed', /^node 'broken' \(child pid \d+\) exited with code 70: module file:.*pipeline-no-factory\.mjs must export a default factory returning a node, but its default export is undefined$/),
    );
  });

  it('stop() mid-stream stops every child and frees everything', async () => {
    let run!: PipelineRun;
    let stopping: Promise<void> | undefined;
    const delivered: Delivery[] = [];
    run = pipeline(
      producer(100_000),
      passthrough(),
      checkingConsumer(delivered, (frame) => {
        if (frame.seq === 200) stopping = run.stop();
      }),
      { backend: 'host' },
    );
    await run.done;
    await stopping;
    expect(delivered.length).toBeGreaterThanOrEqual(201);
    expect(delivered.length).toBeLessThan(100_000);
  });
});

describe('restart next to the parent', () => {
  it('restarts a filter fed by a producer in the parent; frames sent meanwhile wait for the new child', async () => {
    const delivered: Delivery[] = [];
    const source = defineSource('parentProducer', async (scope) => {
      for (let seq = 0; seq < 400; seq++) {
        const frame = await scope.acquireFrame({ width: W, height: H, format: 'rgba8unorm' }, { seq });
        fillFrame(scope.context.manager.mapTexture!(frame.texture), W, H, seq);
        scope.emit(frame);
      }
    });
    const run = pipeline(source, passthrough({ onFailure: 'restart' }), checkingConsumer(delivered, killFilterAt(100)), { backend: 'host' });
    await run.done;
    const seqs = delivered.map((frame) => frame.seq);
    expect(seqs.slice(0, 101)).toEqual([...Array(101).keys()]);
    expect(seqs.at(-1)).toBe(399);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(delivered.every((frame) => frame.ok)).toBe(true);
    const parentSide = run.metricsSnapshot().nodes.find((node) => node.id === 'n1@parent')!;
    expect(parentSide.restarts).toBe(1);
  });
});

describe('restart between two child neighbours', () => {
  it('restarts a middle segment: its upstream and downstream children reconnect to the new process', async () => {
    const delivered: Delivery[] = [];
    const run = pipeline(
      producer(800),
      passthrough({ name: 'filterA', onFailure: 'restart', options: { tag: 'filterA' } }),
      inChildProcess(fixtureUrl('pipeline-passthrough.mjs'), { name: 'filterB', options: { tag: 'filterB' } }),
      checkingConsumer(delivered, killFilterAtFirstOf(400)),
      { backend: 'host' },
    );
    await run.done;
    const seqs = delivered.map((frame) => frame.seq);
    expect(seqs.slice(0, 401)).toEqual([...Array(401).keys()]);
    expect(seqs.at(-1)).toBe(799);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(delivered.every((frame) => frame.ok)).toBe(true);
  });
});

/** Kills the process that tagged frames as `filterAPid` when frame `atSeq` arrives. */
function killFilterAtFirstOf(atSeq: number) {
  let done = false;
  return (frame: Frame): void => {
    if (done || frame.seq !== atSeq) return;
    done = true;
    process.kill(frame.metadata.filterAPid as number, 'SIGKILL');
  };
}

describe('stopping children', () => {
  it('escalates to SIGKILL after killGraceMs when a child ignores SIGTERM', async () => {
    let run!: PipelineRun;
    let filterPid = 0;
    let stopAt = 0;
    const stubborn = inChildProcess(fixtureUrl('pipeline-stubborn.mjs'), { name: 'stubborn', killGraceMs: 300 });
    run = pipeline(
      producer(100_000),
      stubborn,
      defineSink('consumer', () => ({
        next(frame: Frame) {
          filterPid = frame.metadata.filterPid as number;
          if (frame.seq === 20) {
            stopAt = Date.now();
            void run.stop();
          }
        },
      })),
      { backend: 'host' },
    );
    await run.done;
    // done waited out the grace period, then the SIGKILL ended the child.
    expect(Date.now() - stopAt).toBeGreaterThanOrEqual(290);
    expect(isAlive(filterPid)).toBe(false);
  });
});

describe('no orphans', () => {
  it('children exit when their parent is killed with SIGKILL (they watch the control channel)', async () => {
    const parent = spawn(process.execPath, [fixturePath('pipeline-orphan-parent.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => parent.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    parent.stdout!.destroy();
    const { filter } = JSON.parse(line) as { filter: number };
    const grandchildren = childrenOf(parent.pid!);
    expect(grandchildren).toContain(filter);
    expect(grandchildren).toHaveLength(2);
    const exited = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await exited;
    // Each child notices its control channel closing and exits; poll until they are gone.
    const deadline = Date.now() + 5000;
    while (grandchildren.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(grandchildren.filter(isAlive)).toEqual([]);
  });
});
