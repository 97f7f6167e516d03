/**
 * Pacing and timestamps for sources: frame n is due n / fps seconds after the first and carries
 * pts n * 1e6 / fps microseconds, so timestamps are exact even when delivery jitters.
 *
 * @internal
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { invalid } from '../../core/validate.js';

/** A source's clock. */
export interface FrameClock {
  /**
   * Waits until frame `seq` is due; resolves early when `signal` aborts. Unpaced, it still yields
   * to the event loop once (setImmediate): when downstream releases frames synchronously, pool
   * acquisition resolves in microtasks alone, and a source that never yields would starve timers,
   * I/O and `stop()`.
   */
  due(seq: number, signal: AbortSignal): Promise<void>;
  /** Frame `seq`'s presentation timestamp, microseconds. */
  pts(seq: number): number;
}

/** Checks an optional fps option: a number in (0, 1000]. */
export function checkFps(fps: unknown, field: string): number | undefined {
  if (fps !== undefined && (typeof fps !== 'number' || !(fps > 0 && fps <= 1000))) invalid('number greater than 0 and at most 1000', field, fps);
  return fps as number | undefined;
}

/** A clock paced at `fps`, or unpaced with timestamps at 30 fps when `fps` is undefined. */
export function createFrameClock(fps: number | undefined): FrameClock {
  const frameMicros = 1e6 / (fps ?? 30);
  let start: number | undefined;
  return {
    async due(seq, signal) {
      if (fps === undefined) return new Promise((resolve) => setImmediate(resolve));
      start ??= performance.now();
      const wait = start + (seq * 1000) / fps - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => undefined);
    },
    pts: (seq) => Math.round(seq * frameMicros),
  };
}
