// The node helper: teardown once, newest first, no lost error, nothing after complete/error, input
// frames released unless emitted. Timed cases read like RxJS marble tests: each event is logged
// with its (fake) time and the whole timeline is compared at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { firstValueFrom, toArray } from 'rxjs';
import {
  defineFilter,
  defineSink,
  defineSource,
  GeyserAggregateError,
  pipeline,
  type Frame,
  type PipelineContext,
} from '../src/index.js';
import { geyserError, rejection, thrown, withHostContext } from './pipeline-helpers.js';

const size = { width: 4, height: 4, format: 'rgba8unorm' } as const;
let context: PipelineContext;
withHostContext((_, c) => {
  context = c;
});

afterEach(() => {
  vi.useRealTimers();
  // Every test leaves every pool slot returned.
  expect(context.poolCounters().reduce((sum, pool) => sum + pool.leasesOut, 0)).toBe(0);
});

/** A source of `count` frames, one every `everyMs` of (fake) time when given. */
function counter(count: number, log?: string[], everyMs = 0) {
  return defineSource('counter', async (scope) => {
    scope.add(() => log?.push('counter: teardown'));
    for (let seq = 0; seq < count && !scope.closed; seq++) {
      if (everyMs) await new Promise((resolve) => setTimeout(resolve, everyMs));
      if (scope.closed) return;
      scope.emit(await scope.acquireFrame(size, { seq }));
    }
  });
}

describe('teardown', () => {
  it('runs once, newest finalizer first, before completion is delivered', async () => {
    const log: string[] = [];
    const source = defineSource('src', async (scope) => {
      scope.add(() => log.push('first acquired'));
      scope.add({ release: () => log.push('second acquired') });
      scope.emit(await scope.acquireFrame(size));
    });
    const run = pipeline(source, defineSink('sink', () => ({ next: () => void log.push('frame') })), { context });
    await run.done;
    log.push('done');
    expect(log).toEqual(['frame', 'second acquired', 'first acquired', 'done']);
  });

  it('aggregates errors from several finalizers and loses none', async () => {
    const source = defineSource('src', async (scope) => {
      scope.add(() => {
        throw new Error('close camera');
      });
      scope.add(() => {
        throw new Error('free buffer');
      });
    });
    const error = await rejection(pipeline(source, defineSink('sink', () => ({ next: () => undefined })), { context }).done);
    expect(error).toBeInstanceOf(GeyserAggregateError);
    expect((error as GeyserAggregateError).errors.map((e) => (e as Error).message)).toEqual(['free buffer', 'close camera']);
    expect((error as Error).message).toBe("2 errors while tearing down node 'src':\n  1) free buffer\n  2) close camera");
  });

  it('keeps the node error first and adds finalizer errors after it', async () => {
    const source = defineSource('src', async (scope) => {
      scope.add(() => {
        throw new Error('finalizer');
      });
      throw new Error('camera unplugged');
    });
    const error = (await rejection(pipeline(source, defineSink('sink', () => ({ next: () => undefined })), { context }).done)) as GeyserAggregateError;
    expect(error.errors.map((e) => (e as Error).message)).toEqual(['camera unplugged', 'finalizer']);
  });

  it('frees a resource registered after teardown at once', async () => {
    const log: string[] = [];
    let late!: (value: void) => void;
    const started = new Promise<void>((running) => {
      const source = defineSource('src', async (scope) => {
        const opened = new Promise<void>((resolve) => (late = resolve));
        running();
        await opened; // e.g. a device that opens after the pipeline was stopped
        scope.add(() => log.push('late resource freed'));
      });
      void pipeline(source, defineSink('sink', () => ({ next: () => undefined })), { context }).stop();
    });
    await started;
    expect(log).toEqual([]);
    late();
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['late resource freed']);
  });

  it('unsubscribing mid-stream (marble: a-b-c-d-^ then nothing) releases every frame once', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const timeline: Array<[number, string]> = [];
    const start = Date.now();
    const note = (event: string): void => void timeline.push([Date.now() - start, event]);
    const run = pipeline(
      counter(10, log, 10),
      defineSink('sink', () => ({
        next: (frame) => note(`frame ${frame.seq}`),
      })),
      { context },
    );
    await vi.advanceTimersByTimeAsync(35);
    note('stop');
    await run.stop();
    await vi.advanceTimersByTimeAsync(100);
    expect(timeline).toEqual([
      [10, 'frame 0'],
      [20, 'frame 1'],
      [30, 'frame 2'],
      [35, 'stop'],
    ]);
    expect(log).toEqual(['counter: teardown']);
  });
});

describe('after the end', () => {
  it('an emit after completion (marble: a|, then a late emit) is released, never delivered', async () => {
    vi.useFakeTimers();
    const delivered: string[] = [];
    let late: Frame | undefined;
    const lateEmitter = defineFilter('late', (scope) => ({
      next(frame: Frame) {
        const kept = frame.retain();
        setTimeout(() => {
          late = kept;
          scope.emit(kept); // the node completed meanwhile
        }, 10);
      },
    }));
    const run = pipeline(counter(1), lateEmitter, defineSink('sink', () => ({ next: (frame: Frame) => void delivered.push(`frame ${frame.seq}`) })), { context });
    await run.done;
    delivered.push('done');
    await vi.advanceTimersByTimeAsync(10);
    expect(delivered).toEqual(['done']);
    expect(late?.released).toBe(true);
  });
});

describe('handlers', () => {
  it('turns a throw in next into an error and emits nothing after it', async () => {
    const seen: number[] = [];
    const failing = defineFilter('failing', (scope) => ({
      next(frame: Frame) {
        if (frame.seq === 3) throw new Error('bad frame 3');
        scope.emit(frame);
      },
    }));
    const error = await rejection(pipeline(counter(10), failing, defineSink('sink', () => ({ next: (frame) => void seen.push(frame.seq) })), { context }).done);
    expect((error as Error).message).toBe('bad frame 3');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('turns a rejected async handler into an error', async () => {
    const failing = defineSink('failing', () => ({
      async next(frame: Frame) {
        await Promise.resolve();
        if (frame.seq === 1) throw new Error('disk full');
      },
    }));
    expect(((await rejection(pipeline(counter(5), failing, { context }).done)) as Error).message).toBe('disk full');
  });

  it('handles inputs of an async handler one at a time, in order (marble: 0--1--2--|)', async () => {
    vi.useFakeTimers();
    const timeline: Array<[number, string]> = [];
    const start = Date.now();
    const slow = defineSink('slow', () => ({
      async next(frame: Frame) {
        timeline.push([Date.now() - start, `start ${frame.seq}`]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    }));
    const run = pipeline(counter(3), slow, { context });
    await vi.advanceTimersByTimeAsync(100);
    await run.done;
    expect(timeline).toEqual([
      [0, 'start 0'],
      [20, 'start 1'],
      [40, 'start 2'],
    ]);
  });

  it('releases input frames the handler does not emit, and not those it does', async () => {
    const kept: Frame[] = [];
    const keepEven = defineFilter('keepEven', (scope) => ({
      next(frame: Frame) {
        if (frame.seq % 2 === 0) scope.emit(frame);
      },
    }));
    const collector = defineSink('collector', () => ({ next: (frame: Frame) => void kept.push(frame.retain()) }));
    await pipeline(counter(6), keepEven, collector, { context }).done;
    expect(kept.map((frame) => frame.seq)).toEqual([0, 2, 4]);
    expect(kept.every((frame) => !frame.released)).toBe(true);
    kept.forEach((frame) => frame.release());
  });

  it('runs complete() once after the last input, before the node completes', async () => {
    const log: string[] = [];
    const sink = defineSink('sink', () => ({
      next: (frame: Frame) => void log.push(`frame ${frame.seq}`),
      complete: async () => {
        await Promise.resolve();
        log.push('flush');
      },
    }));
    await pipeline(counter(2), sink, { context }).done;
    expect(log).toEqual(['frame 0', 'frame 1', 'flush']);
  });

  it('works under plain RxJS pipe, taking the context from the first frame', async () => {
    const double = defineFilter('double', (scope) => ({
      next: (frame: Frame) => {
        scope.emit(frame.retain());
        scope.emit(frame.retain().with({ seq: frame.seq + 100 }));
      },
    }));
    const frames = await firstValueFrom(counter(2).pipe(double, toArray()));
    expect(frames.map((frame) => frame.seq)).toEqual([0, 100, 1, 101]);
    frames.forEach((frame) => frame.release());
  });
});

describe('Frame', () => {
  it('counts references: the slot returns when the last one is released', async () => {
    const frames = await firstValueFrom(counter(1).pipe(toArray()));
    const frame = frames[0]!;
    const pool = frame.context.poolCounters().find((counters) => counters.id === frame.poolId)!;
    expect(pool.leasesOut).toBe(1);
    const other = frame.retain();
    expect(frame.references).toBe(2);
    frame.release();
    frame.release(); // idempotent per reference
    expect(other.references).toBe(1);
    expect(frame.context.poolCounters().find((counters) => counters.id === frame.poolId)!.leasesOut).toBe(1);
    other.release();
    expect(frame.context.poolCounters().find((counters) => counters.id === frame.poolId)?.leasesOut ?? 0).toBe(0);
    expect(thrown(() => frame.texture)).toMatchObject(geyserError('Released', `frame 0 (slot ${frame.slot} of pool 'counter') has been released`));
    expect(thrown(() => frame.retain())).toMatchObject({ code: 'Released' });
  });
});

describe('pools of a node', () => {
  it('fails the run naming the node that held a frame past the lease timeout', async () => {
    const stuck = defineSink('stuck', () => ({
      next: () => new Promise<void>(() => undefined), // never finishes with the frame
    }));
    const source = defineSource(
      'camera',
      async (scope) => {
        scope.emit(await scope.acquireFrame(size));
        await new Promise<void>((resolve) => scope.signal.addEventListener('abort', () => resolve()));
      },
      { pool: { leaseTimeoutMs: 100 } },
    );
    const error = await rejection(pipeline(source, stuck, { context }).done);
    expect(error).toMatchObject(geyserError('Timeout', /^slot \d of pool 'camera' has been held by node 'stuck' for more than 100 ms$/));
  });

  it('makes a new pool when the frame size changes, while the old one drains', async () => {
    const sizes: string[] = [];
    const held: Frame[] = [];
    const source = defineSource('resizing', async (scope) => {
      for (let seq = 0; seq < 4; seq++) {
        const width = seq < 2 ? 4 : 8;
        scope.emit(await scope.acquireFrame({ width, height: 4, format: 'rgba8unorm' }, { seq }));
      }
    });
    const sink = defineSink('sink', () => ({
      next(frame: Frame) {
        sizes.push(`${frame.width}x${frame.height}`);
        if (frame.seq === 1) held.push(frame.retain()); // an old-size frame still in use downstream
      },
    }));
    await pipeline(source, sink, { context }).done;
    expect(sizes).toEqual(['4x4', '4x4', '8x4', '8x4']);
    const oldPool = context.poolCounters().find((pool) => pool.id === held[0]!.poolId)!;
    expect(oldPool).toMatchObject({ active: false, leasesOut: 1 }); // retired, draining
    expect(held[0]!.width).toBe(4);
    held[0]!.release();
    expect(context.poolCounters().find((pool) => pool.id === oldPool.id)?.leasesOut ?? 0).toBe(0);
  });
});
