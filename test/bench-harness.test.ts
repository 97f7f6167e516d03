// The bench harness's pure parts: statistics, the growth judgement of the soak, metric ratios in
// words, the progress indicator (TTY and plain), argument parsing and the results table.
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/cli/bench-args.js';
import { judgeGrowth, SOAK_TOLERANCE, type GrowthSample } from '../src/bench/growth.js';
import { machineId, slug } from '../src/bench/machine.js';
import { compareInWords, metric } from '../src/bench/metric.js';
import { createProgress } from '../src/bench/progress.js';
import { median, percentile, summarize } from '../src/bench/stats.js';
import { formatValue, renderMarkdownComparison } from '../src/bench/table.js';
import type { SuiteReport } from '../src/bench/types.js';

const MIB = 2 ** 20;

describe('stats', () => {
  it('takes nearest-rank percentiles of sorted samples', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('takes the median of unsorted samples, averaging the middle two of an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('summarizes without reordering the caller\'s samples', () => {
    const samples = [9, 1, 5, 3, 7];
    expect(summarize(samples)).toEqual({ n: 5, min: 1, p50: 5, p99: 9, max: 9, mean: 5 });
    expect(samples).toEqual([9, 1, 5, 3, 7]);
  });

  it('refuses empty sample sets and percentiles out of range', () => {
    expect(() => median([])).toThrow('Expected at least one sample for median but received none');
    expect(() => percentile([1], 101)).toThrow('Expected a number between 0 and 100 for p but received 101');
  });
});

describe('judgeGrowth', () => {
  const flat = (n: number, rss: number, fds: number): GrowthSample[] => Array.from({ length: n }, (_, i) => ({ frame: i * 100, rssBytes: rss, fds }));

  it('passes a flat process, and ignores one sample taken mid-spike', () => {
    const samples = flat(40, 100 * MIB, 30);
    samples[38] = { frame: 3800, rssBytes: 400 * MIB, fds: 34 };
    const verdict = judgeGrowth(samples, SOAK_TOLERANCE);
    expect(verdict).toMatchObject({ grew: false, fdGrowth: 0, rssGrowthBytes: 0, problems: [] });
  });

  it('fails a process whose fds grow by one', () => {
    const samples = [...flat(20, 100 * MIB, 30), ...flat(20, 100 * MIB, 31)];
    expect(judgeGrowth(samples, SOAK_TOLERANCE).problems).toEqual(['open fds grew from 30 to 31 (tolerance 0)']);
  });

  it('allows RSS to move within max(16 MiB, 10%) and fails beyond', () => {
    const within = [...flat(20, 100 * MIB, 30), ...flat(20, 115 * MIB, 30)];
    expect(judgeGrowth(within, SOAK_TOLERANCE).grew).toBe(false);
    const beyond = [...flat(20, 100 * MIB, 30), ...flat(20, 117 * MIB, 30)];
    expect(judgeGrowth(beyond, SOAK_TOLERANCE).problems).toEqual(['RSS grew by 17.0 MiB, from 100.0 to 117.0 MiB (tolerance 16.0 MiB)']);
    const big = [...flat(20, 400 * MIB, 30), ...flat(20, 436 * MIB, 30)];
    expect(judgeGrowth(big, SOAK_TOLERANCE)).toMatchObject({ grew: false, rssAllowedBytes: 40 * MIB });
  });

  it('needs two samples', () => {
    expect(() => judgeGrowth(flat(1, MIB, 3), SOAK_TOLERANCE)).toThrow('Expected at least 2 samples after warm-up but received 1');
  });
});

describe('metric', () => {
  it('computes ratio = ours / baseline and judges the target', () => {
    const m = metric({ id: 'x', name: 'x', value: 60, unit: 'us', better: 'lower', baseline: { name: 'floor', value: 50 }, target: '<= 1.5x', meets: (_, r) => r! <= 1.5 });
    expect(m).toEqual({ id: 'x', name: 'x', value: 60, unit: 'us', better: 'lower', baseline: { name: 'floor', value: 50 }, ratio: 1.2, target: '<= 1.5x', targetMet: true });
  });

  it('says how ours compares in words, by direction and unit', () => {
    const base = { name: 'b', value: 1 };
    expect(compareInWords({ ratio: 0.5, better: 'lower', unit: 'us', value: 1, baseline: base })).toBe('2.00x faster');
    expect(compareInWords({ ratio: 1.25, better: 'lower', unit: 'us', value: 1, baseline: base })).toBe('1.25x slower');
    expect(compareInWords({ ratio: 30, better: 'higher', unit: 'frames/s', value: 1, baseline: base })).toBe('30x faster');
    expect(compareInWords({ ratio: 0, better: 'lower', unit: 'count', value: 0, baseline: base })).toBe('better');
    expect(compareInWords({ ratio: 1.01, better: 'lower', unit: 'us', value: 1, baseline: base })).toBe('same');
    expect(compareInWords({ ratio: undefined, better: 'lower', unit: 'us', value: 0.7, baseline: { name: 'b', value: 0 } })).toBe('baseline below resolution');
    expect(compareInWords({ ratio: 60, better: 'lower', unit: 'MiB', value: 0.3, baseline: { name: 'b', value: 0.005 }, tolerance: 2 })).toBe('same, within 2 MiB');
  });

  it('formats figures for people', () => {
    expect(formatValue(61.234, 'us')).toBe('61.2 us');
    expect(formatValue(31_630, 'us')).toBe('31.6 ms');
    expect(formatValue(12_345.6, 'frames/s')).toBe('12,346 frames/s');
    expect(formatValue(0, 'count')).toBe('0');
    expect(formatValue(null, 'us')).toBe('n/a');
  });
});

describe('progress', () => {
  function recorder(isTTY: boolean) {
    const writes: string[] = [];
    return { writes, stream: { isTTY, columns: 80, write: (text: string) => writes.push(text) } };
  }

  it('redraws one status line on a terminal', () => {
    const { writes, stream } = recorder(true);
    const progress = createProgress(2, stream);
    progress.start(1, 'handoff');
    progress.update(0.5, '1080p');
    progress.end('12 metrics');
    progress.done();
    expect(writes[0]).toBe('\r\x1b[2K[1/2] handoff [....................]   0% ');
    expect(writes[1]).toBe('\r\x1b[2K[1/2] handoff [##########..........]  50% 1080p');
    expect(writes[2]).toMatch(/^\r\x1b\[2Kgeyser bench \[1\/2\] handoff: 12 metrics \(\d+\.\d s\)\n$/);
    expect(writes[3]).toBe('\r\x1b[2K');
  });

  it('writes plain lines, one per step start and end, elsewhere', () => {
    const { writes, stream } = recorder(false);
    const progress = createProgress(2, stream);
    progress.start(2, 'pool');
    progress.update(0.5, 'ignored');
    progress.end('4 metrics');
    progress.done();
    expect(writes).toEqual(['geyser bench [2/2] pool: running\n', expect.stringMatching(/^geyser bench \[2\/2\] pool: 4 metrics \(\d+\.\d s\)\n$/)]);
    expect(writes.join('')).not.toContain('\x1b');
  });
});

describe('parseBenchArgs', () => {
  const names = ['handoff', 'pipeline', 'pool'];

  it('runs everything by default, and --only in suite order', () => {
    expect(parseBenchArgs([], names).only).toEqual(names);
    expect(parseBenchArgs(['--only', 'pool,handoff'], names).only).toEqual(['handoff', 'pool']);
    expect(parseBenchArgs(['--only', 'pool', '--only', 'pipeline', '--quick', '--json'], names)).toMatchObject({ only: ['pipeline', 'pool'], quick: true, json: true });
  });

  it('defaults the soak to 100,000 frames at 1280x720', () => {
    expect(parseBenchArgs(['--soak'], names)).toMatchObject({ soak: true, frames: 100_000, width: 1280, height: 720 });
    expect(parseBenchArgs(['--soak', '--frames', '500', '--size', '64x32'], names)).toMatchObject({ frames: 500, width: 64, height: 32 });
  });
});

describe('machine names and the results table', () => {
  it('names machines by CPU, cores and GPU', () => {
    expect(slug('Intel(R) Xeon(R) Platinum 8480+ CPU @ 2.00GHz')).toBe('intel-xeon-platinum-8480-2-00ghz');
    expect(machineId({ cpu: { model: 'AMD EPYC', cores: 2 } })).toBe('amd-epyc-2c');
    expect(machineId({ cpu: { model: 'AMD EPYC 9454', cores: 16 }, gpu: { name: 'NVIDIA H100 80GB HBM3', type: 'discrete-gpu', semaphoreExport: true } })).toBe('amd-epyc-9454-16c-nvidia-h100-80gb-hbm3');
    // A CPU Vulkan device (lavapipe) is not a GPU: the name stays the CPU's.
    expect(machineId({ cpu: { model: 'AMD EPYC', cores: 2 }, gpu: { name: 'llvmpipe', type: 'cpu', semaphoreExport: false } })).toBe('amd-epyc-2c');
  });

  it('renders one column per machine, ours and the ratio to that machine\'s own baseline', () => {
    const report = (id: string, value: number, baseline: number): SuiteReport => ({
      schema: 1,
      tool: 'geyser bench',
      startedAt: '2026-11-26T23:00:00.000Z',
      durationMs: 1,
      quick: false,
      machine: { id, cpu: { model: id, cores: 2 }, memoryBytes: 8 * 2 ** 30, os: { platform: 'linux', release: '6', arch: 'x64' }, node: 'v20.0.0', loadAverage: [0.5, 0.4, 0.3], backend: { auto: 'host', reason: '' } },
      benchmarks: [
        { name: 'handoff', description: '', status: 'ok', durationMs: 1, notes: [], metrics: [metric({ id: 'handoff.p50.720p', name: 'handoff p50', value, unit: 'us', better: 'lower', baseline: { name: 'bare ping-pong', value: baseline } })] },
      ],
    });
    const markdown = renderMarkdownComparison([report('laptop-4c', 60, 50), report('gpu-16c', 20, 40)]);
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '| metric | baseline (same run) | laptop-4c | gpu-16c |',
      '| --- | --- | ---: | ---: |',
      '| handoff: handoff p50 | bare ping-pong | 60 us vs 50 us (1.20x slower) | 20 us vs 40 us (2.00x faster) |',
    ]);
    expect(markdown).toContain('- `laptop-4c`: laptop-4c, 2 cores, 8 GiB, no GPU, backend host, Node v20.0.0, load 0.5, 2026-11-26');
  });
});
