/**
 * `geyser bench --soak`: frames (100,000 by default) through the three-process pipeline, sampling
 * RSS (`/proc/<pid>/status` VmRSS) and open fds (`/proc/<pid>/fd`) of every process of the
 * pipeline as it runs. It fails, naming the process, if any grows after warm-up beyond the stated
 * tolerance ({@link SOAK_TOLERANCE}).
 *
 * @internal
 * @module
 */
import { pipeline } from '../index.js';
import { judgeGrowth, SOAK_TOLERANCE, type GrowthSample, type GrowthTolerance, type GrowthVerdict } from './growth.js';
import { collectMachineInfo } from './machine.js';
import { descendantPids, environOf, sampleProcesses } from './proc-stats.js';
import type { Progress } from './progress.js';
import { checkingConsumer, filterProcess, producerProcess, ROLE_VARIABLE } from './stream-nodes.js';
import { framesPerSecond, microsSince } from './timing.js';
import type { MachineInfo } from './types.js';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  frames: number;
  width: number;
  height: number;
  progress: Progress;
}

/** One process of the pipeline in the soak report. */
export interface SoakProcess {
  pid: number;
  /** `parent (consumer)`, `child: producer`, `child: filter` (from its environment), or its command line. */
  role: string;
  samples: number;
  verdict: GrowthVerdict;
  /** Every sample after warm-up: [frames delivered, RSS in MiB (1 decimal), open fds]. */
  series: Array<[number, number, number]>;
}

/** What `geyser bench --soak --json` prints. */
export interface SoakReport {
  schema: 1;
  tool: 'geyser bench --soak';
  startedAt: string;
  machine: MachineInfo;
  frames: number;
  width: number;
  height: number;
  durationMs: number;
  framesPerSecond: number;
  /** Frames delivered before sampling counts. */
  warmupFrames: number;
  /** Frames between samples. */
  sampleEvery: number;
  tolerance: GrowthTolerance;
  processes: SoakProcess[];
  passed: boolean;
  /** One line per process that grew, naming it. */
  failures: string[];
}

/**
 * Warm-up: a tenth of the run, at least 500 frames, so pools, JIT and socket buffers settle first.
 *
 * @example
 * ```ts
 * soakWarmup(100_000); // 10000
 * ```
 */
export function soakWarmup(frames: number): number {
  return Math.min(frames - 1, Math.max(500, Math.floor(frames / 10)));
}

/**
 * Runs the soak and judges every process.
 *
 * @example
 * ```ts
 * const report = await runSoak({ frames: 100_000, width: 1280, height: 720, progress: createProgress(1) });
 * if (!report.passed) console.error(report.failures.join('\n'));
 * ```
 * @throws when the pipeline fails (a frame lost, out of order or corrupted, a process crashed)
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const startedAt = new Date();
  const machine = await collectMachineInfo();
  const warmupFrames = soakWarmup(options.frames);
  // About 100 samples after warm-up: enough for the two windows, cheap next to the frames.
  const sampleEvery = Math.max(1, Math.floor((options.frames - warmupFrames) / 100));
  const series = new Map<number, GrowthSample[]>();
  const roles = new Map<number, string>([[process.pid, 'parent (consumer)']]);
  options.progress.start(1, `soak ${options.frames} frames ${options.width}x${options.height}`);
  const begin = process.hrtime.bigint();
  let delivered = 0;
  const run = pipeline(
    producerProcess({ width: options.width, height: options.height, frames: options.frames }),
    filterProcess(),
    checkingConsumer(() => {
      delivered++;
      if (delivered >= warmupFrames && (delivered - warmupFrames) % sampleEvery === 0) {
        // Every process of the pipeline: this one and all its descendants.
        for (const sample of sampleProcesses([process.pid, ...descendantPids(process.pid)])) {
          let list = series.get(sample.pid);
          if (!list) series.set(sample.pid, (list = []));
          list.push({ frame: delivered, rssBytes: sample.rssBytes, fds: sample.fds });
          if (!roles.has(sample.pid)) {
            const role = environOf(sample.pid, ROLE_VARIABLE);
            roles.set(sample.pid, role ? `child: ${role}` : sample.command);
          }
        }
        options.progress.update(delivered / options.frames, `${delivered} frames`);
      }
    }),
    { backend: 'host' },
  );
  await run.done;
  const micros = microsSince(begin);
  const processes: SoakProcess[] = [];
  const failures: string[] = [];
  for (const [pid, samples] of series) {
    const role = roles.get(pid) ?? `pid ${pid}`;
    if (samples.length < 2) {
      // A process seen only at the very end (or gone early) cannot be judged; say so rather than pass it.
      failures.push(`${role} (pid ${pid}): only ${samples.length} sample(s) after warm-up; it was not alive for the whole run`);
      continue;
    }
    const verdict = judgeGrowth(samples, SOAK_TOLERANCE);
    const series = samples.map((s): [number, number, number] => [s.frame, Math.round((s.rssBytes / 2 ** 20) * 10) / 10, s.fds]);
    processes.push({ pid, role, samples: samples.length, verdict, series });
    if (verdict.grew) failures.push(`${role} (pid ${pid}) grew after warm-up: ${verdict.problems.join('; ')}`);
  }
  options.progress.end(failures.length === 0 ? 'no process grew' : `${failures.length} process(es) grew`);
  options.progress.done();
  return {
    schema: 1,
    tool: 'geyser bench --soak',
    startedAt: startedAt.toISOString(),
    machine,
    frames: options.frames,
    width: options.width,
    height: options.height,
    durationMs: micros / 1000,
    framesPerSecond: framesPerSecond(options.frames, micros),
    warmupFrames,
    sampleEvery,
    tolerance: SOAK_TOLERANCE,
    processes,
    passed: failures.length === 0 && processes.length >= 3,
    failures: processes.length >= 3 ? failures : [...failures, `expected at least 3 pipeline processes, sampled ${processes.length}`],
  };
}

/**
 * The soak report for people.
 *
 * @example
 * ```ts
 * process.stdout.write(renderSoak(report));
 * ```
 */
export function renderSoak(report: SoakReport): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const lines = [
    `geyser bench --soak on ${report.machine.id}: ${report.frames} frames ${report.width}x${report.height} through the three-process pipeline, ` +
      `${(report.durationMs / 1000).toFixed(1)} s (${Math.round(report.framesPerSecond)} frames/s)`,
    `  warm-up ${report.warmupFrames} frames, a sample every ${report.sampleEvery} frames; tolerance: fds +${report.tolerance.fds}, ` +
      `RSS +max(${mib(report.tolerance.rssBytes)}, ${report.tolerance.rssFraction * 100}%), medians of the first and last ${report.tolerance.window} samples`,
  ];
  for (const p of report.processes) {
    const v = p.verdict;
    lines.push(
      `  ${v.grew ? 'GREW' : 'ok  '} ${p.role} (pid ${p.pid}): RSS ${mib(v.reference.rssBytes)} -> ${mib(v.final.rssBytes)}, fds ${v.reference.fds} -> ${v.final.fds} (${p.samples} samples)`,
    );
  }
  for (const failure of report.failures) lines.push(`  FAIL: ${failure}`);
  lines.push(report.passed ? 'soak passed: no process grew after warm-up' : 'soak FAILED');
  return `${lines.join('\n')}\n`;
}
