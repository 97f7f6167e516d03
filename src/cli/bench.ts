/**
 * `geyser bench`: runs every benchmark beside its baseline in the same run, prints a table or the
 * JSON report, and writes the report for `bench/results/`. `geyser bench --soak` is the long leak
 * run over the three-process pipeline.
 *
 * @internal
 * @module
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createProgress } from '../bench/progress.js';
import { BENCHMARK_NAMES } from '../bench/registry.js';
import { runSuite } from '../bench/suite.js';
import { renderReport } from '../bench/table.js';
import { BENCH_USAGE, BenchUsageError, parseBenchArgs } from './bench-args.js';

/**
 * Where the report goes: `out` itself, or `<out>/<machine>.json` when `out` is a directory.
 *
 * @example
 * ```ts
 * reportPath('bench/results/', 'amd-epyc-2c'); // 'bench/results/amd-epyc-2c.json'
 * ```
 */
export function reportPath(out: string, machineId: string): string {
  let isDirectory = out.endsWith('/');
  try {
    isDirectory ||= statSync(out).isDirectory();
  } catch {
    // Not there yet: a file path unless it ends in '/'.
  }
  return isDirectory ? join(out, `${machineId}.json`) : out;
}

/** Writes the JSON report, creating folders as needed; returns the path. */
function writeReport(out: string, machineId: string, report: unknown): string {
  const path = reportPath(out, machineId);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/**
 * Runs `geyser bench`; returns the exit code: 0, 1 when a benchmark failed or the soak found a
 * process that grew, 2 for bad arguments.
 *
 * @example
 * ```ts
 * process.exitCode = await runBench(['--quick', '--only', 'handoff']);
 * ```
 * @param args - the words after `bench`
 */
export async function runBench(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseBenchArgs(args, BENCHMARK_NAMES);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`geyser bench: ${error.message}\n\n${BENCH_USAGE.replace('BENCHMARKS', BENCHMARK_NAMES.join(', '))}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(BENCH_USAGE.replace('BENCHMARKS', BENCHMARK_NAMES.join(', ')));
    return 0;
  }
  if (parsed.soak) {
    const { runSoak, renderSoak } = await import('../bench/soak.js');
    const report = await runSoak({ frames: parsed.frames, width: parsed.width, height: parsed.height, progress: createProgress(1) });
    if (parsed.out) process.stderr.write(`geyser bench: wrote ${writeReport(parsed.out, `${report.machine.id}-soak`, report)}\n`);
    process.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : renderSoak(report));
    return report.passed ? 0 : 1;
  }
  const report = await runSuite({ names: parsed.only, quick: parsed.quick, progress: createProgress(parsed.only.length) });
  if (parsed.out) process.stderr.write(`geyser bench: wrote ${writeReport(parsed.out, report.machine.id, report)}\n`);
  process.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return report.benchmarks.every((bench) => bench.status === 'ok') ? 0 : 1;
}
