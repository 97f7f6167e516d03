/**
 * Judges whether a process grew after warm-up, from a series of samples: compares the median of
 * the first samples after warm-up with the median of the last ones (medians, so one sample taken
 * mid-garbage-collection or with a frame's handle in flight does not decide).
 *
 * @internal
 * @module
 */
import { median } from './stats.js';

/** How much growth is tolerated. */
export interface GrowthTolerance {
  /** Open fds: growth above this many is a leak (0: the count must come back exactly). */
  fds: number;
  /** RSS: growth above max(`rssBytes`, `rssFraction` x the reference) is a leak. */
  rssBytes: number;
  rssFraction: number;
  /** Samples in each of the two windows compared. */
  window: number;
}

/** The tolerance `geyser bench --soak` uses, stated in its report. */
export const SOAK_TOLERANCE: GrowthTolerance = { fds: 0, rssBytes: 16 * 2 ** 20, rssFraction: 0.1, window: 5 };

/** One sample of one process. */
export interface GrowthSample {
  /** Frames delivered when it was taken. */
  frame: number;
  rssBytes: number;
  fds: number;
}

/** The verdict for one process. */
export interface GrowthVerdict {
  /** Medians of the first window after warm-up. */
  reference: { rssBytes: number; fds: number };
  /** Medians of the last window. */
  final: { rssBytes: number; fds: number };
  rssGrowthBytes: number;
  fdGrowth: number;
  /** The RSS growth allowed for this process. */
  rssAllowedBytes: number;
  grew: boolean;
  /** What grew, in words (empty when nothing did). */
  problems: string[];
}

/**
 * Judges one process's samples taken after warm-up, in order.
 *
 * @example
 * ```ts
 * const verdict = judgeGrowth(samples, SOAK_TOLERANCE);
 * if (verdict.grew) console.log(verdict.problems.join('; '));
 * ```
 * @param samples - samples after warm-up, oldest first (at least 2 x `window` for a fair judgement)
 * @param tolerance - see {@link GrowthTolerance}
 * @throws RangeError with fewer than two samples
 */
export function judgeGrowth(samples: readonly GrowthSample[], tolerance: GrowthTolerance): GrowthVerdict {
  if (samples.length < 2) throw new RangeError(`Expected at least 2 samples after warm-up but received ${samples.length}`);
  const window = Math.max(1, Math.min(tolerance.window, Math.floor(samples.length / 2)));
  const first = samples.slice(0, window);
  const last = samples.slice(-window);
  const reference = { rssBytes: median(first.map((s) => s.rssBytes)), fds: median(first.map((s) => s.fds)) };
  const final = { rssBytes: median(last.map((s) => s.rssBytes)), fds: median(last.map((s) => s.fds)) };
  const rssGrowthBytes = final.rssBytes - reference.rssBytes;
  const fdGrowth = final.fds - reference.fds;
  const rssAllowedBytes = Math.max(tolerance.rssBytes, tolerance.rssFraction * reference.rssBytes);
  const problems: string[] = [];
  if (fdGrowth > tolerance.fds) problems.push(`open fds grew from ${reference.fds} to ${final.fds} (tolerance ${tolerance.fds})`);
  if (rssGrowthBytes > rssAllowedBytes) {
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
    problems.push(`RSS grew by ${mib(rssGrowthBytes)} MiB, from ${mib(reference.rssBytes)} to ${mib(final.rssBytes)} MiB (tolerance ${mib(rssAllowedBytes)} MiB)`);
  }
  return { reference, final, rssGrowthBytes, fdGrowth, rssAllowedBytes, grew: problems.length > 0, problems };
}
