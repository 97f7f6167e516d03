/**
 * Runs benchmarks one after another and gathers the report. A benchmark that throws is recorded
 * as failed with its message, and the suite goes on: one broken part must not hide the others'
 * figures.
 *
 * @internal
 * @module
 */
import { collectMachineInfo } from './machine.js';
import type { Progress } from './progress.js';
import { BENCHMARKS } from './registry.js';
import type { BenchmarkReport, SuiteReport } from './types.js';

/** Options for {@link runSuite}. */
export interface SuiteOptions {
  /** Which benchmarks, in order (validated by the caller against `BENCHMARK_NAMES`). */
  names: readonly string[];
  quick: boolean;
  progress: Progress;
  /** The ffmpeg binary, for the machine description. */
  ffmpeg?: string | undefined;
}

/**
 * Runs the named benchmarks and returns the report.
 *
 * @example
 * ```ts
 * const report = await runSuite({ names: ['handoff'], quick: true, progress: createProgress(1) });
 * ```
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteReport> {
  const startedAt = new Date();
  const began = process.hrtime.bigint();
  const machine = await collectMachineInfo(options.ffmpeg);
  const benchmarks: BenchmarkReport[] = [];
  for (const [i, name] of options.names.entries()) {
    options.progress.start(i + 1, name);
    const stepBegan = process.hrtime.bigint();
    const load = BENCHMARKS[name];
    let entry: BenchmarkReport;
    let description = '';
    try {
      if (!load) throw new Error(`no benchmark named '${name}'`);
      const benchmark = await load();
      description = benchmark.description;
      const outcome = await benchmark.run({ quick: options.quick, progress: (fraction, detail) => options.progress.update(fraction, detail) });
      entry = {
        name,
        description: benchmark.description,
        status: 'ok',
        durationMs: Number(process.hrtime.bigint() - stepBegan) / 1e6,
        metrics: outcome.metrics,
        notes: outcome.notes ?? [],
      };
      options.progress.end(`${outcome.metrics.length} metrics`);
    } catch (error) {
      entry = {
        name,
        description,
        status: 'failed',
        error: error instanceof Error ? error.message : String(error),
        durationMs: Number(process.hrtime.bigint() - stepBegan) / 1e6,
        metrics: [],
        notes: [],
      };
      options.progress.end(`FAILED: ${entry.error}`);
    }
    benchmarks.push(entry);
  }
  options.progress.done();
  return {
    schema: 1,
    tool: 'geyser bench',
    startedAt: startedAt.toISOString(),
    durationMs: Number(process.hrtime.bigint() - began) / 1e6,
    quick: options.quick,
    machine,
    benchmarks,
  };
}
