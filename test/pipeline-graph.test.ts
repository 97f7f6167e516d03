// pipeline(): graph description, DOT, fan-out/fan-in, and bad input.
import { describe, expect, it } from 'vitest';
import { map } from 'rxjs';
import {
  chooseSync,
  defineFilter,
  defineSink,
  defineSource,
  fanIn,
  fanOut,
  GeyserError,
  inChildProcess,
  pipeline,
  type Frame,
  type PipelineContext,
  type TextureShareManager,
} from '../src/index.js';
import { fdCount, fixtureUrl, rejection, thrown, withHostContext } from './pipeline-helpers.js';

let manager: TextureShareManager;
let context: PipelineContext;
withHostContext((m, c) => {
  manager = m;
  context = c;
});

const counter = (count: number, name = 'counter') =>
  defineSource(
    name,
    async (scope) => {
      for (let seq = 0; seq < count; seq++) scope.emit(await scope.acquireFrame({ width: 4, height: 4, format: 'rgba8unorm' }, { seq }));
    },
    { name },
  );
const collect = (into: number[], name = 'collect') => defineSink(name, () => ({ next: (frame: Frame) => void into.push(frame.seq) }), { name });

describe('describe()', () => {
  it('names every node with its process and every edge with its primitive', async () => {
    const run = pipeline(counter(3), defineFilter('same', (scope) => ({ next: (frame: Frame) => scope.emit(frame) })), inChildProcess(fixtureUrl('pipeline-passthrough.mjs'), { name: 'remote' }), collect([]), { context });
    await run.ready;
    expect(run.describe()).toEqual({
      backend: 'host',
      device: expect.any(String),
      nodes: [
        { id: 'n0', name: 'counter', kind: 'source', process: 'parent' },
        { id: 'n1', name: 'same', kind: 'filter', process: 'parent' },
        { id: 'n2', name: 'remote', kind: 'segment', process: 'child:0' },
        { id: 'n3', name: 'collect', kind: 'sink', process: 'parent' },
      ],
      edges: [
        { from: 'n0', to: 'n1', primitive: 'none', degraded: false, reason: 'same process and queue', crossesProcess: false, policy: 'block' },
        { from: 'n1', to: 'n2', primitive: 'message-order', degraded: false, reason: expect.stringMatching(/^host backend: /), crossesProcess: true, policy: 'block' },
        { from: 'n2', to: 'n3', primitive: 'message-order', degraded: false, reason: expect.stringMatching(/^host backend: /), crossesProcess: true, policy: 'block' },
      ],
    });
    const dot = run.describeDot();
    expect(dot).toMatch(/^digraph geyser \{/);
    expect(dot).toContain('label="child:0";');
    expect(dot).toContain('n1 -> n2 [label="message-order"');
    await run.done;
  });

  it('throws before the pipeline is ready', () => {
    const run = pipeline(counter(1), collect([]), { backend: 'host' });
    expect(thrown(() => run.describe())).toEqual(new GeyserError('Other', 'the pipeline is not ready yet; await run.ready first'));
    return run.done;
  });

  it('chooses by the rules of DESIGN.md from the capabilities of each backend', async () => {
    const caps = manager.capabilities();
    expect(chooseSync('parent', 'parent', caps).primitive).toBe('none');
    expect(chooseSync('child:0', 'parent', caps).primitive).toBe('message-order');
  });
});

describe('fan-out and fan-in', () => {
  it('gives each branch every frame and returns a slot only when the last branch released it', async () => {
    const fast: number[] = [];
    const slowSeen: number[] = [];
    let releaseSlow!: () => void;
    const gate = new Promise<void>((resolve) => (releaseSlow = resolve));
    let slowHolds!: (frame: Frame) => void;
    const slowHolding = new Promise<Frame>((resolve) => (slowHolds = resolve));
    let fastDone!: () => void;
    const fastFinished = new Promise<void>((resolve) => (fastDone = resolve));
    const slow = defineSink(
      'slow',
      () => ({
        async next(frame: Frame) {
          slowSeen.push(frame.seq);
          if (frame.seq === 0) {
            slowHolds(frame);
            await gate;
          }
        },
      }),
      { name: 'slow' },
    );
    const fastSink = defineSink('fast', () => ({ next: (frame: Frame) => void (fast.push(frame.seq), frame.seq === 2 && fastDone()) }), { name: 'fast' });
    const run = pipeline(counter(3), fanOut([fastSink], [slow]), { context });
    const held = await slowHolding;
    await fastFinished;
    expect(fast).toEqual([0, 1, 2]);
    // The fast branch is done with frame 0, but the slow branch still holds it: its slot is leased.
    expect(held.references).toBe(1);
    expect(context.poolCounters().find((pool) => pool.id === held.poolId)!.leasesOut).toBeGreaterThanOrEqual(1);
    releaseSlow();
    await run.done;
    expect(held.released).toBe(true);
    expect(slowSeen).toEqual([0, 1, 2]);
    expect(context.poolCounters().reduce((sum, pool) => sum + pool.leasesOut, 0)).toBe(0);
    expect(run.describe().edges.map(({ from, to }) => `${from}->${to}`)).toEqual(['n0->n1', 'n1->n2', 'n1->n3']);
  });

  it('pairs frames of several sources for a compositing node, which releases the sets', async () => {
    const sets: number[][] = [];
    const compositor = defineSink('compositor', () => ({ next: (set: Frame[]) => void sets.push(set.map((frame) => frame.seq)) }));
    const run = pipeline(fanIn(counter(3, 'a'), counter(5, 'b')), compositor, { context });
    await run.done;
    expect(sets).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(run.describe().edges.map(({ from, to }) => `${from}->${to}`)).toEqual(['n0->n2', 'n1->n2', 'n2->n3']);
    expect(context.poolCounters().reduce((sum, pool) => sum + pool.leasesOut, 0)).toBe(0);
  });

  it('accepts plain RxJS operators between nodes', async () => {
    const seen: number[] = [];
    await pipeline(counter(3), map((frame: Frame) => frame.with({ seq: frame.seq * 10 })), collect(seen), { context }).done;
    expect(seen).toEqual([0, 10, 20]);
  });
});

describe('bad input', () => {
  it.each([
    ['a number as source', () => pipeline(42 as never), "Expected a source node or an Observable of frames for pipeline() stage 0 but received 42 of type number"],
    ['a string as stage', () => pipeline(counter(1), 'grayscale' as never), "Expected a node or an RxJS operator for pipeline() stage 1 but received 'grayscale' of type string"],
    ['a sink first', () => pipeline(collect([]) as never), "pipeline() must start with a source, but node 'collect' is a sink"],
  ])('pipeline() with %s throws naming the stage', (_label, make, message) => {
    expect(thrown(make)).toEqual(new GeyserError('InvalidDescriptor', message));
  });

  it('catches misspelled pipeline options', () => {
    expect(thrown(() => pipeline(counter(1), collect([]), { contxt: context } as never))).toMatchObject({
      name: 'TypeError',
      message: "Unknown option 'contxt' for pipeline; expected one of: context, backend, metricsIntervalMs, sync",
    });
  });

  it('rejects a source used after the first stage', async () => {
    const error = await rejection(pipeline(counter(1), counter(1) as never, { context }).done);
    expect(error).toEqual(new GeyserError('InvalidDescriptor', "source node 'counter' can only be the first stage of a pipeline"));
  });

  it.each([
    ['denoise.js', {}, "Expected a file URL or an absolute path for moduleUrl but received 'denoise.js' of type string"],
    ['/abs/denoise.js', { onFailure: 'retry' }, "Expected 'error' or 'restart' for onFailure but received 'retry' of type string"],
    ['/abs/denoise.js', { maxRestarts: -1 }, 'Expected integer between 0 and 100 for maxRestarts but received -1 of type number'],
  ])('inChildProcess(%s, %o) throws naming the field', (url, options, message) => {
    expect(thrown(() => inChildProcess(url, options as never))).toEqual(new GeyserError('InvalidDescriptor', message));
  });

  it('emits no frame and leaks no slot when a node asks for a bad frame size', async () => {
    const bad = defineSource('bad', async (scope) => {
      scope.emit(await scope.acquireFrame({ width: 0, height: 4, format: 'rgba8unorm' }));
    });
    const error = await rejection(pipeline(bad, collect([]), { context }).done);
    expect(error).toEqual(new GeyserError('InvalidDescriptor', "Expected integer between 1 and 16384 for node 'bad' frame.width but received 0 of type number"));
  });
});

describe('metrics', () => {
  it('metrics$ reports per-node fps, latency, drops and pool occupancy while running, and completes with the final figures', async () => {
    const paced = defineSource(
      'paced',
      async (scope) => {
        for (let seq = 0; seq < 30; seq++) {
          scope.emit(await scope.acquireFrame({ width: 4, height: 4, format: 'rgba8unorm' }, { seq }));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      },
      { name: 'paced' },
    );
    const run = pipeline(paced, collect([], 'sink'), { context, metricsIntervalMs: 10 });
    const snapshots: Array<ReturnType<typeof run.metricsSnapshot>> = [];
    let completed = false;
    run.metrics$.subscribe({ next: (snapshot) => void snapshots.push(snapshot), complete: () => void (completed = true) });
    await run.done;
    await new Promise((resolve) => setImmediate(resolve));
    expect(completed).toBe(true);
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    const during = snapshots.find((snapshot) => snapshot.pools.some((pool) => pool.name === 'paced' && pool.active));
    expect(during?.pools.find((pool) => pool.name === 'paced')).toMatchObject({ slots: expect.any(Number), leasesOut: expect.any(Number), allocations: expect.any(Number) });
    expect(snapshots.some((snapshot) => snapshot.nodes.find((node) => node.name === 'sink')!.fps > 0)).toBe(true);
    const last = snapshots.at(-1)!;
    expect(last.nodes.map(({ id, name, framesIn, framesOut, dropped }) => ({ id, name, framesIn, framesOut, dropped }))).toEqual([
      { id: 'n0', name: 'paced', framesIn: 0, framesOut: 30, dropped: 0 },
      { id: 'n1', name: 'sink', framesIn: 30, framesOut: 0, dropped: 0 },
    ]);
  });
});

describe('a run that opened its own context', () => {
  it('resolves done even while the caller still holds a frame, and frees the context once it is released', async () => {
    const fdsAtStart = fdCount();
    const kept: Frame[] = [];
    const run = pipeline(counter(2), defineSink('keeper', () => ({ next: (frame: Frame) => void kept.push(frame.retain()) })), { backend: 'host' });
    await run.done;
    expect(kept.map((frame) => frame.seq)).toEqual([0, 1]);
    expect(kept[0]!.texture.released).toBe(false); // still usable
    const manager = kept[0]!.context.manager as TextureShareManager & { disposed: boolean };
    expect(manager.disposed).toBe(false);
    kept.forEach((frame) => frame.release());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(manager.disposed).toBe(true);
    expect(fdCount()).toBe(fdsAtStart);
  });
});

describe('the sync option', () => {
  it('rejects an unknown primitive naming the choices', () => {
    expect(thrown(() => pipeline(counter(1), collect([]), { context, sync: 'semaphore' as never }))).toEqual(
      new GeyserError('InvalidDescriptor', "Expected one of auto, timeline-semaphore, fence-wait, message-order for sync but received 'semaphore' of type string"),
    );
  });
});
