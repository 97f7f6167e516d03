/**
 * Order statistics over timing samples. Medians and high percentiles rather than means, because
 * a shared VM's stalls make means meaningless.
 *
 * @internal
 * @module
 */

/** The summary of a set of samples. */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * The nearest-rank percentile of already-sorted samples (`p` in [0, 100]).
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 50); // 2
 * ```
 * @param sorted - samples in ascending order (not empty)
 * @param p - the percentile, 0 to 100
 * @throws RangeError when `sorted` is empty or `p` is outside [0, 100]
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('Expected at least one sample for percentile but received none');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`Expected a number between 0 and 100 for p but received ${p}`);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/**
 * The median (the mean of the two middle samples for an even count), of unsorted samples.
 *
 * @example
 * ```ts
 * median([5, 1, 3]); // 3
 * ```
 * @throws RangeError when `samples` is empty
 */
export function median(samples: ArrayLike<number>): number {
  if (samples.length === 0) throw new RangeError('Expected at least one sample for median but received none');
  const sorted = Float64Array.from(samples).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Min, p50 (median), p99, max and mean of unsorted samples.
 *
 * @example
 * ```ts
 * const { p50, p99 } = summarize(roundTripMicros);
 * ```
 * @throws RangeError when `samples` is empty
 */
export function summarize(samples: ArrayLike<number>): Summary {
  if (samples.length === 0) throw new RangeError('Expected at least one sample for summarize but received none');
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    n: sorted.length,
    min: sorted[0] as number,
    p50: median(sorted),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] as number,
    mean: sum / sorted.length,
  };
}
