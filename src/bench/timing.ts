/**
 * Timing loops on `process.hrtime.bigint()`, with warm-up rounds that are run but not recorded.
 *
 * @internal
 * @module
 */
import { summarize, type Summary } from './stats.js';

/** Something timed one round at a time. */
export type Round = (index: number) => Promise<void> | void;

/**
 * Microseconds elapsed since `start` (a `process.hrtime.bigint()` reading).
 *
 * @example
 * ```ts
 * const start = process.hrtime.bigint();
 * await work();
 * const micros = microsSince(start);
 * ```
 */
export function microsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1000;
}

/**
 * Runs `warmup` untimed rounds, then times `rounds` rounds one by one.
 *
 * @example
 * ```ts
 * const { p50, p99 } = await timeRounds(1000, 100, () => channel.roundTrip());
 * ```
 * @param rounds - timed rounds (>= 1)
 * @param warmup - untimed rounds first (JIT, caches, socket buffers)
 * @param round - the work of one round
 * @param onProgress - called with the fraction done, at most every 64 rounds
 * @returns the summary of per-round times in microseconds
 */
export async function timeRounds(rounds: number, warmup: number, round: Round, onProgress?: (fraction: number) => void): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await round(i);
  const samples = new Float64Array(rounds);
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await round(i);
    samples[i] = microsSince(start);
    if (onProgress && (i & 63) === 63) onProgress(i / rounds);
  }
  return summarize(samples);
}

/**
 * Times several contenders round-robin, one round of each in turn, so every contender sees the
 * same machine load: on a shared VM the load swings between seconds, and timing one contender
 * after the other would compare two different machines.
 *
 * @example
 * ```ts
 * const [floor, ours] = await timeInterleaved(5000, 500, [bare.roundTrip, handoff.roundTrip]);
 * ```
 * @param rounds - timed rounds per contender
 * @param warmup - untimed rounds per contender
 * @param contenders - one round of each contender
 * @param onProgress - called with the fraction done, at most every 64 rounds
 * @returns one summary (microseconds) per contender, in order
 */
export async function timeInterleaved(rounds: number, warmup: number, contenders: readonly Round[], onProgress?: (fraction: number) => void): Promise<Summary[]> {
  for (let i = 0; i < warmup; i++) for (const round of contenders) await round(i);
  const samples = contenders.map(() => new Float64Array(rounds));
  for (let i = 0; i < rounds; i++) {
    for (const [k, round] of contenders.entries()) {
      const start = process.hrtime.bigint();
      await round(i);
      (samples[k] as Float64Array)[i] = microsSince(start);
    }
    if (onProgress && (i & 63) === 63) onProgress(i / rounds);
  }
  return samples.map((list) => summarize(list));
}

/**
 * Frames per second of a run that moved `frames` frames in `micros` microseconds.
 *
 * @example
 * ```ts
 * framesPerSecond(600, 100_000); // 6000
 * ```
 */
export function framesPerSecond(frames: number, micros: number): number {
  return micros > 0 ? (frames * 1e6) / micros : 0;
}
