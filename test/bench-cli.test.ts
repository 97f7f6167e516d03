// `geyser bench` end to end: the real CLI in its own process, the real benchmarks (child
// processes, sockets, shared textures, ffmpeg), checked for shape and sanity only: timings are
// never asserted here (they live in bench/results/).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childPids, countFds } from '../src/bench/proc-stats.js';
import { renderReport } from '../src/bench/table.js';
import type { Metric, SuiteReport } from '../src/bench/types.js';
import type { SoakReport } from '../src/bench/soak.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli/main.js ...args` to the end. */
function geyser(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Every metric the issue asks for: [id, whether ours may be null on a machine that lacks the part]. */
const SIZES = ['720p', '1080p', '4k'];
const REQUIRED: string[] = [
  ...SIZES.flatMap((size) => [`handoff.p50.${size}`, `handoff.p99.${size}`, `handoff.vs-pipe.p50.${size}`, `handoff.vs-ipc.p50.${size}`]),
  ...SIZES.map((size) => `pipeline.fps.${size}`),
  'pipeline.node-overhead',
  'pipeline.fps.1080p.vulkan',
  'encode.fps',
  'encode.fps.vs-rgba-pipe',
  'encode.fps.transport-only',
  'encode.fps.vulkan',
  'encode.demo.fps',
  'vulkan.export.p50',
  'vulkan.import.p50',
  'vulkan.share.p50',
  'vulkan.sync.p50',
  'vulkan.sync.vs-floor.p50',
  'pool.allocations-after-warmup',
  'pool.rss-growth',
  'pool.three-process-allocations-after-warmup',
];

let fdsBefore: number;
let childrenBefore: number[];

beforeEach(() => {
  fdsBefore = countFds(process.pid)!;
  childrenBefore = childPids(process.pid);
});

afterEach(() => {
  // The CLI and everything it started are gone, and nothing leaked into this process.
  expect(childPids(process.pid)).toEqual(childrenBefore);
  expect(countFds(process.pid)).toBe(fdsBefore);
});

describe('geyser bench --quick --json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'geyser-bench-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'runs every benchmark beside its baseline and reports each metric with the baseline figure',
    async () => {
      const result = await geyser(['bench', '--quick', '--json', '--out', `${dir}/`]);
      expect(result.stderr).not.toMatch(/FAILED/);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as SuiteReport;

      // The machine, so runs on different machines can be compared.
      expect(report).toMatchObject({ schema: 1, tool: 'geyser bench', quick: true });
      expect(report.machine.cpu.model).toEqual(expect.any(String));
      expect(report.machine.cpu.cores).toBeGreaterThan(0);
      expect(report.machine.memoryBytes).toBeGreaterThan(0);
      expect(report.machine.node).toBe(process.version);
      expect(report.machine.os.platform).toBe('linux');
      expect(['host', 'vulkan']).toContain(report.machine.backend.auto);
      expect(report.machine.gpu !== undefined || typeof report.machine.gpuReason === 'string').toBe(true);
      expect(report.machine.id).toMatch(/^[a-z0-9-]+$/);

      // The same report went to --out, named after the machine.
      expect(JSON.parse(readFileSync(join(dir, `${report.machine.id}.json`), 'utf8'))).toEqual(report);

      expect(report.benchmarks.map((b) => [b.name, b.status, b.error])).toEqual(
        ['handoff', 'pipeline', 'encode', 'vulkan', 'pool'].map((name) => [name, 'ok', undefined]),
      );
      const metrics = new Map<string, Metric>(report.benchmarks.flatMap((b) => b.metrics).map((m) => [m.id, m]));
      for (const id of REQUIRED) {
        const m = metrics.get(id);
        expect(m, id).toBeDefined();
        // The baseline was measured in this run and sits beside ours.
        expect(m!.baseline?.value, `${id} baseline`).toEqual(expect.any(Number));
        // RSS can shrink between the two windows; every other figure is a time, a rate or a count.
        const floor = id === 'pool.rss-growth' ? -Infinity : 0;
        expect(Number.isFinite(m!.baseline!.value), `${id} baseline`).toBe(true);
        expect(m!.baseline!.value, `${id} baseline`).toBeGreaterThanOrEqual(floor);
        expect(m!.baseline!.name.length, `${id} baseline name`).toBeGreaterThan(0);
        if (m!.value === null) {
          // Only a part this machine lacks may be missing, and then it says why.
          expect(m!.reason, `${id} reason`).toEqual(expect.any(String));
        } else {
          expect(m!.value, id).toBeGreaterThanOrEqual(floor);
          // ratio = ours / baseline (both rounded to 4 significant digits in the report).
          if (m!.baseline!.value > 0 && floor === 0) {
            const exact = m!.value / m!.baseline!.value;
            expect(Math.abs(m!.ratio! - exact), `${id} ratio`).toBeLessThanOrEqual(1e-3 * Math.max(1, exact));
          }
        }
      }

      // Sanity, not speed: the parts that exist on every Linux machine must produce figures.
      for (const id of REQUIRED.filter((id) => /^(handoff|pipeline|pool)\./.test(id))) expect(metrics.get(id)!.value, id).not.toBeNull();
      for (const size of SIZES) expect(metrics.get(`handoff.p99.${size}`)!.value!).toBeGreaterThanOrEqual(metrics.get(`handoff.p50.${size}`)!.value!);
      // A pool allocates nothing after warm-up; a texture per frame allocates one per frame.
      expect(metrics.get('pool.allocations-after-warmup')).toMatchObject({ value: 0, targetMet: true, baseline: { value: 1000 } });
      // The same across processes: the producer process's own pools, counted in its frames' metadata.
      expect(metrics.get('pool.three-process-allocations-after-warmup')).toMatchObject({ value: 0, targetMet: true });

      // The table names every metric and its baseline.
      const table = renderReport(report);
      for (const m of metrics.values()) {
        expect(table).toContain(m.name);
        if (m.baseline) expect(table).toContain(m.baseline.name);
      }
    },
    120_000,
  );
});

describe('geyser bench arguments', () => {

  it.each([
    [['--only', 'nope'], "geyser bench: Expected one of handoff, pipeline, encode, vulkan, pool for --only but received 'nope' of type string"],
    [['--soak', '--frames', '-3'], "geyser bench: Expected positive integer for --frames but received '-3' of type string"],
    [['--soak', '--frames', '2.5'], "geyser bench: Expected positive integer for --frames but received '2.5' of type string"],
    [['--soak', '--frames', '0'], "geyser bench: Expected positive integer for --frames but received '0' of type string"],
    [['--soak', '--size', '640x'], "geyser bench: Expected WxH with even sides between 16 and 8192 for --size but received '640x' of type string"],
    [['--frames', '100'], 'geyser bench: --frames applies only to --soak'],
    [['--soak', '--only', 'pool'], 'geyser bench: --only does not apply to --soak'],
    [['--quik'], 'geyser bench: unknown option --quik'],
    [['--out'], 'geyser bench: --out needs a value'],
  ])('refuses %j with exit code 2 and a message naming the option', async (args, message) => {
    const result = await geyser(['bench', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr).toContain('Usage: geyser bench');
    expect(result.stdout).toBe('');
  });

  it('prints its usage with --help', async () => {
    const result = await geyser(['bench', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--only NAMES    run only these benchmarks (comma-separated or repeated): handoff, pipeline, encode, vulkan, pool');
  });
});

describe('geyser bench --soak', () => {
  it(
    'samples every process of the three-process pipeline and passes when none grows',
    async () => {
      const result = await geyser(['bench', '--soak', '--frames', '3000', '--size', '320x240', '--json']);
      const report = JSON.parse(result.stdout) as SoakReport;
      expect(report.failures).toEqual([]);
      expect(report).toMatchObject({ tool: 'geyser bench --soak', frames: 3000, width: 320, height: 240, passed: true });
      expect(result.code).toBe(0);
      // The parent (consumer), the producer process and the filter process, each sampled throughout.
      expect(report.processes.map((p) => p.role).sort()).toEqual(['child: filter', 'child: producer', 'parent (consumer)']);
      for (const p of report.processes) {
        expect(p.samples).toBeGreaterThanOrEqual(10);
        expect(p.verdict.grew).toBe(false);
        expect(p.verdict.reference.fds).toBeGreaterThan(0);
        expect(p.verdict.reference.rssBytes).toBeGreaterThan(0);
      }
    },
    60_000,
  );

  it(
    'fails with exit code 1 and names the process whose fds grow',
    async () => {
      // Fault injection: the filter process opens /dev/null every 20 frames and never closes it.
      const result = await geyser(['bench', '--soak', '--frames', '3000', '--size', '320x240'], { GEYSER_BENCH_LEAK_FDS_EVERY: '20' });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/FAIL: child: filter \(pid \d+\) grew after warm-up: open fds grew from \d+ to \d+ \(tolerance 0\)/);
      expect(result.stdout).not.toMatch(/FAIL: child: producer/);
      expect(result.stdout).not.toMatch(/FAIL: parent/);
      expect(result.stdout).toContain('soak FAILED');
    },
    60_000,
  );
});
