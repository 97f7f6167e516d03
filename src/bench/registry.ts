/**
 * The benchmarks `geyser bench` runs, in order. Each module is loaded only when it runs, so a
 * benchmark whose part is missing on this machine cannot stop the others from loading.
 *
 * @internal
 * @module
 */
import type { Benchmark } from './types.js';

/** Benchmark name -> loader of its module's default export. */
export const BENCHMARKS: Readonly<Record<string, () => Promise<Benchmark>>> = {
  handoff: async () => (await import('./benchmarks/handoff.js')).default,
  pipeline: async () => (await import('./benchmarks/pipeline.js')).default,
  encode: async () => (await import('./benchmarks/encode.js')).default,
  vulkan: async () => (await import('./benchmarks/vulkan.js')).default,
  pool: async () => (await import('./benchmarks/pool.js')).default,
};

/** The benchmark names in run order. */
export const BENCHMARK_NAMES: readonly string[] = Object.keys(BENCHMARKS);
