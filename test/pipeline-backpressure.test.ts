// Backpressure per edge: a slow consumer slows (block) or thins (drop-*) the stream; memory stays
// bounded by the producer's pool either way.
import { describe, expect, it, vi, afterEach } from 'vitest';
import { defineSink, defineSource, GeyserError, pipeline, type Frame, type PipelineContext } from '../src/index.js';
import { thrown, withHostContext } from './pipeline-helpers.js';

let context: PipelineContext;
withHostContext((_, c) => {
  context = c;
});

afterEach(() => vi.useRealTimers());

interface ProducerLog {
  /** Fake-time ms each frame's acquire took (0 = no stall). */
  waits: number[];
  /** Most frames of the producer's pool leased at once. */
  maxLeasesOut: number;
}

/** A producer of `count` frames from a pool of `max` slots that records how long each acquire waited. */
function producer(count: number, max: number, log: ProducerLog) {
  return defineSource(
    'producer',
    async (scope) => {
      for (let seq = 0; seq < count && !scope.closed; seq++) {
        const before = Date.now();
        const frame = await scope.acquireFrame({ width: 4, height: 4, format: 'rgba8unorm' }, { seq });
        log.waits.push(Date.now() - before);
        const pool = scope.context.poolCounters().find((counters) => counters.id === frame.poolId)!;
        log.maxLeasesOut = Math.max(log.maxLeasesOut, pool.leasesOut);
        scope.emit(frame);
        await new Promise((resolve) => setTimeout(resolve, 1)); // 1000 fps
      }
    },
    { pool: { min: max, max } },
  );
}

/** A consumer taking `ms` per frame. */
function slowConsumer(ms: number, seen: number[], input?: { policy: 'block' | 'drop-oldest' | 'drop-newest'; capacity?: number }) {
  return defineSink(
    'slowConsumer',
    () => ({
      async next(frame: Frame) {
        seen.push(frame.seq);
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    }),
    input ? { input } : undefined,
  );
}

describe('backpressure', () => {
  it('block: a slow consumer slows the producer, which never holds more than its pool max', async () => {
    vi.useFakeTimers();
    const log: ProducerLog = { waits: [], maxLeasesOut: 0 };
    const seen: number[] = [];
    const run = pipeline(producer(40, 4, log), slowConsumer(10, seen, { policy: 'block' }), { context });
    await vi.advanceTimersByTimeAsync(1000);
    await run.done;
    expect(seen).toEqual([...Array(40).keys()]); // nothing lost
    expect(log.maxLeasesOut).toBe(4);
    expect(log.waits.filter((ms) => ms > 0).length).toBeGreaterThan(30); // the producer stalled
    const consumer = run.metricsSnapshot().nodes.find((node) => node.name === 'slowConsumer')!;
    expect(consumer.dropped).toBe(0);
  });

  it('drop-oldest: the producer never stalls, the consumer sees the newest frames, drops are counted', async () => {
    vi.useFakeTimers();
    const log: ProducerLog = { waits: [], maxLeasesOut: 0 };
    const seen: number[] = [];
    const run = pipeline(producer(40, 4, log), slowConsumer(10, seen, { policy: 'drop-oldest', capacity: 1 }), { context });
    await vi.advanceTimersByTimeAsync(1000);
    await run.done;
    expect(log.waits.every((ms) => ms === 0)).toBe(true);
    expect(log.maxLeasesOut).toBeLessThanOrEqual(3); // one in the consumer, one queued, one being filled
    expect(seen.at(-1)).toBe(39); // the newest frame made it
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const consumer = run.metricsSnapshot().nodes.find((node) => node.name === 'slowConsumer')!;
    expect(consumer.dropped).toBe(40 - seen.length);
    expect(consumer.dropped).toBeGreaterThan(20);
  });

  it('drop-newest: the producer never stalls, the consumer keeps the frames it queued first', async () => {
    vi.useFakeTimers();
    const log: ProducerLog = { waits: [], maxLeasesOut: 0 };
    const seen: number[] = [];
    const run = pipeline(producer(40, 4, log), slowConsumer(10, seen, { policy: 'drop-newest', capacity: 2 }), { context });
    await vi.advanceTimersByTimeAsync(1000);
    await run.done;
    expect(log.waits.every((ms) => ms === 0)).toBe(true);
    expect(seen.slice(0, 3)).toEqual([0, 1, 2]); // the first frames were queued, later ones dropped
    const consumer = run.metricsSnapshot().nodes.find((node) => node.name === 'slowConsumer')!;
    expect(consumer.dropped).toBe(40 - seen.length);
    expect(consumer.dropped).toBeGreaterThan(20);
  });

  it.each([
    [{ policy: 'drop-all' }, "Expected one of block, drop-oldest, drop-newest for sink.input.policy but received 'drop-all' of type string"],
    [{ policy: 'drop-oldest', capacity: 0 }, 'Expected integer between 1 and 1024 for sink.input.capacity but received 0 of type number'],
  ])('rejects input %o naming the field', (input, message) => {
    expect(thrown(() => defineSink('sink', () => ({ next: () => undefined }), { input: input as never }))).toEqual(new GeyserError('InvalidDescriptor', message));
  });
});
