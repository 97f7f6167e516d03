/**
 * Builds {@link Metric}s: ours beside a baseline, with the ratio computed one way everywhere
 * (`ours / baseline`), and a target check where the issue gives one.
 *
 * @internal
 * @module
 */
import type { Metric } from './types.js';

/** Options for {@link metric}: the metric's own fields (ratio and targetMet are worked out), plus the goal's judge. */
export type MetricInit = Pick<Metric, 'id' | 'name' | 'value' | 'unit' | 'better' | 'baseline' | 'target' | 'tolerance' | 'reason'> & {
  /** Judges the goal; given the metric's value and ratio (ratio undefined without a baseline). */
  meets?: ((value: number, ratio: number | undefined) => boolean) | undefined;
};

/**
 * Makes a metric, rounding figures to 4 significant digits (more is noise on these machines).
 *
 * @example
 * ```ts
 * metric({ id: 'handoff.p50.720p', name: 'handoff round trip p50 @ 1280x720', value: 61.2, unit: 'us', better: 'lower',
 *   baseline: { name: 'bare 64 B ping-pong', value: 48.9 }, target: '<= 1.5x the bare ping-pong', meets: (_, r) => r! <= 1.5 });
 * ```
 */
export function metric(init: MetricInit): Metric {
  const value = init.value === null ? null : round(init.value);
  const baseline = init.baseline ? { name: init.baseline.name, value: round(init.baseline.value) } : undefined;
  const ratio = value !== null && baseline && baseline.value !== 0 ? round(value / baseline.value) : undefined;
  const out: Metric = { id: init.id, name: init.name, value, unit: init.unit, better: init.better };
  if (baseline) out.baseline = baseline;
  if (ratio !== undefined) out.ratio = ratio;
  if (init.target) out.target = init.target;
  if (init.meets && value !== null) out.targetMet = init.meets(value, ratio);
  if (init.tolerance !== undefined) out.tolerance = init.tolerance;
  if (init.reason) out.reason = init.reason;
  return out;
}

/**
 * Rounds to 4 significant digits.
 *
 * @example
 * ```ts
 * round(61.23456); // 61.23
 * ```
 */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(4));
}

/** Units whose comparison reads as speed. */
const SPEED_UNITS = new Set(['ns', 'us', 'ms', 's', 'frames/s', 'MB/s', 'GB/s']);

/**
 * Says how ours compares with the baseline in words: `'1.21x slower'`, `'38x faster'`, `'same'`
 * (`better`/`worse` for units that are not speeds, such as allocation counts).
 *
 * @example
 * ```ts
 * compareInWords({ ratio: 0.5, better: 'lower', unit: 'us', value: 10, baseline: { name: 'floor', value: 20 } }); // '2.00x faster'
 * ```
 */
export function compareInWords(m: Pick<Metric, 'ratio' | 'better' | 'unit' | 'value' | 'baseline' | 'tolerance'>): string {
  const { ratio } = m;
  if (m.tolerance !== undefined && m.value !== null && m.baseline && Math.abs(m.value - m.baseline.value) < m.tolerance) {
    return `same, within ${m.tolerance} ${m.unit}`;
  }
  // A baseline too cheap to measure (it rounds to 0) gives no factor; say so rather than nothing.
  if (ratio === undefined && m.value !== null && m.baseline?.value === 0) return 'baseline below resolution';
  if (ratio === undefined || !Number.isFinite(ratio) || ratio < 0) return '';
  const speed = SPEED_UNITS.has(m.unit);
  // Ours at 0 where lower is better (no allocations at all) beats any baseline by an unbounded factor.
  if (ratio === 0) return m.better === 'lower' ? (speed ? 'faster' : 'better') : speed ? 'slower' : 'worse';
  // For times (lower is better) a ratio below 1 means faster; for rates (higher is better) above 1.
  const factor = m.better === 'lower' ? 1 / ratio : ratio;
  if (Math.abs(factor - 1) < 0.03) return 'same';
  const good = factor >= 1;
  const size = good ? factor : 1 / factor;
  const words = speed ? (good ? 'faster' : 'slower') : good ? 'better' : 'worse';
  return `${size.toFixed(size >= 10 ? 0 : 2)}x ${words}`;
}
