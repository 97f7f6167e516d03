/**
 * The shapes every benchmark and the suite share: a uniform module interface, the metric a
 * benchmark reports (ours beside a baseline measured in the same run), and the report the suite
 * writes as JSON.
 *
 * @internal
 * @module
 */

/** Which direction is good for a metric. */
export type Better = 'lower' | 'higher';

/** A baseline figure measured in the same run as the metric it sits beside. */
export interface BaselineFigure {
  /** What the baseline is, e.g. `'bare 64 B ping-pong over a net Unix socket'`. */
  name: string;
  /** Its value, in the metric's unit. */
  value: number;
}

/**
 * One figure. Times are medians/percentiles over many rounds, never lone runs, because the
 * machines these run on are noisy.
 */
export interface Metric {
  /** Stable identifier, e.g. `'handoff.p50.1080p'`; the test and the results table key on it. */
  id: string;
  /** Readable name, e.g. `'handoff round trip p50 @ 1920x1080'`. */
  name: string;
  /** The figure; `null` when this machine cannot measure it (then `reason` says why). */
  value: number | null;
  /** Unit, e.g. `'us'`, `'frames/s'`, `'count'`, `'MiB'`. */
  unit: string;
  /** Whether lower or higher values are better. */
  better: Better;
  /** The baseline measured beside it in the same run, if the metric has one. */
  baseline?: BaselineFigure | undefined;
  /** `value / baseline.value`, when both exist. */
  ratio?: number | undefined;
  /** The goal from the issue that owns the metric, in words (e.g. `'<= 1.5x the bare ping-pong'`). */
  target?: string | undefined;
  /** Whether the target was met, when it can be judged mechanically. */
  targetMet?: boolean | undefined;
  /** Differences smaller than this (in the metric's unit) are noise: the two read as the same. */
  tolerance?: number | undefined;
  /** Why `value` is null, or a caveat worth printing (e.g. a degraded sync path). */
  reason?: string | undefined;
}

/** What `run()` is given. */
export interface BenchmarkContext {
  /** Fewer rounds and frames, for CI (the whole quick suite stays under two minutes on 2 cores). */
  quick: boolean;
  /** Reports progress within the benchmark: `fraction` in [0, 1], `detail` a short phrase. */
  progress(fraction: number, detail?: string): void;
}

/** What `run()` returns. */
export interface BenchmarkOutcome {
  metrics: Metric[];
  /** Facts about how it ran worth keeping with the figures (backend, sync primitive per edge...). */
  notes?: string[] | undefined;
}

/** The uniform benchmark module interface: each file in `src/bench/benchmarks/` default-exports one. */
export interface Benchmark {
  /** Short name used by `--only`, e.g. `'handoff'`. */
  name: string;
  /** One line saying what it measures and against what. */
  description: string;
  /** Runs it; throwing marks the benchmark failed in the report (the suite goes on). */
  run(context: BenchmarkContext): Promise<BenchmarkOutcome>;
}

/** One benchmark's entry in the report. */
export interface BenchmarkReport {
  name: string;
  description: string;
  status: 'ok' | 'failed';
  /** The error message when `status` is `'failed'`. */
  error?: string | undefined;
  durationMs: number;
  metrics: Metric[];
  notes: string[];
}

/** The machine a run happened on, so runs on different machines can be compared. */
export interface MachineInfo {
  /** Short file-name-safe identifier, e.g. `'amd-epyc-2c-cpu-only'`. */
  id: string;
  cpu: { model: string; cores: number };
  memoryBytes: number;
  os: { platform: string; release: string; arch: string; distro?: string | undefined };
  node: string;
  /** 1, 5 and 15 minute load averages when the run began: how busy the machine was. */
  loadAverage: number[];
  /** The backend `'auto'` picks here and why. */
  backend: { auto: string; reason: string };
  /** The Vulkan device and driver, when the Vulkan backend opens here. */
  gpu?: { name: string; type: string; driver?: string | undefined; apiVersion?: string | undefined; semaphoreExport: boolean } | undefined;
  /** Why there is no `gpu` entry. */
  gpuReason?: string | undefined;
  /** The ffmpeg binary used by the encode benchmark, when found. */
  ffmpeg?: string | undefined;
}

/** What `geyser bench --json` prints and `--out` writes. */
export interface SuiteReport {
  /** Bumped when the shape changes incompatibly. */
  schema: 1;
  tool: 'geyser bench';
  startedAt: string;
  durationMs: number;
  quick: boolean;
  machine: MachineInfo;
  benchmarks: BenchmarkReport[];
}
