/**
 * Renders a report as aligned text for the terminal, and the comparison across machines as a
 * Markdown table for the README.
 *
 * @internal
 * @module
 */
import { compareInWords } from './metric.js';
import type { Metric, SuiteReport } from './types.js';

/**
 * A figure for people: 3 significant digits, thousands separated, and the unit.
 *
 * @example
 * ```ts
 * formatValue(61.234, 'us'); // '61.2 us'
 * formatValue(12345.6, 'frames/s'); // '12,346 frames/s'
 * formatValue(31630, 'us'); // '31.6 ms'
 * ```
 */
export function formatValue(value: number | null, unit: string): string {
  if (value === null) return 'n/a';
  // Long times read better in milliseconds.
  if (unit === 'us' && Math.abs(value) >= 10_000) return formatValue(value / 1000, 'ms');
  const abs = Math.abs(value);
  const digits = abs >= 100 || Number.isInteger(value) ? 0 : abs >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === 'count' ? text : `${text} ${unit}`;
}

/** The target column: the goal and whether it was met. */
function targetText(m: Metric): string {
  if (!m.target) return '';
  if (m.targetMet === undefined) return m.target;
  return `${m.target} ${m.targetMet ? '(met)' : '(MISSED)'}`;
}

/**
 * Lays out rows as columns padded to the widest cell.
 *
 * @example
 * ```ts
 * alignColumns([['a', 'bb'], ['ccc', 'd']]); // ['a    bb', 'ccc  d']
 * ```
 * @param rows - cells, the first row usually the header
 * @param rightAligned - indexes of columns to right-align (numbers)
 */
export function alignColumns(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The terminal rendering of a report: the machine, then one block per benchmark with ours, the
 * baseline measured beside it, the ratio in words and the target.
 *
 * @example
 * ```ts
 * process.stdout.write(renderReport(report));
 * ```
 */
export function renderReport(report: SuiteReport): string {
  const m = report.machine;
  const lines = [
    `geyser bench on ${m.id}: ${m.cpu.model}, ${m.cpu.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, ` +
      `${m.os.distro ?? m.os.platform} (${m.os.release}), Node ${m.node}`,
    `  backend (auto): ${m.backend.auto}${m.backend.reason ? ` - ${m.backend.reason}` : ''}`,
    `  GPU: ${m.gpu ? `${gpuText(m)}${m.gpu.apiVersion ? `, Vulkan ${m.gpu.apiVersion}` : ''}` : `none (${m.gpuReason ?? 'unknown'})`}`,
    `  load average at start: ${(m.loadAverage ?? []).join(', ')} (1, 5, 15 min)`,
    `  ${report.quick ? 'quick run (fewer rounds: indicative only)' : 'full run'}, ${(report.durationMs / 1000).toFixed(1)} s; medians and percentiles over many rounds, baselines measured in the same run`,
    '',
  ];
  for (const bench of report.benchmarks) {
    lines.push(`${bench.name}: ${bench.description}`);
    if (bench.status === 'failed') lines.push(`  FAILED: ${bench.error ?? 'unknown error'}`);
    if (bench.metrics.length > 0) {
      const rows = [['metric', 'ours', 'baseline', 'baseline value', 'ours vs baseline', 'target']];
      for (const metric of bench.metrics) {
        rows.push([
          metric.name,
          formatValue(metric.value, metric.unit),
          metric.baseline?.name ?? '',
          metric.baseline ? formatValue(metric.baseline.value, metric.unit) : '',
          metric.value === null ? 'not measured (see note)' : compareInWords(metric),
          targetText(metric),
        ]);
      }
      for (const line of alignColumns(rows, new Set([1, 3]))) lines.push(`  ${line}`);
    }
    // One note per distinct reason, naming the metrics it applies to (several often share one).
    const reasons = new Map<string, string[]>();
    for (const metric of bench.metrics) if (metric.reason) reasons.set(metric.reason, [...(reasons.get(metric.reason) ?? []), metric.name]);
    for (const [reason, names] of reasons) lines.push(`  note: ${names.length === bench.metrics.length ? 'all metrics' : names.join('; ')}: ${reason}`);
    for (const note of bench.notes) lines.push(`  note: ${note}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** The GPU in words; a CPU Vulkan device (lavapipe) is named as such, not as a GPU. */
function gpuText(machine: SuiteReport['machine']): string {
  const gpu = machine.gpu;
  if (!gpu) return 'no GPU';
  const driver = gpu.driver ? `, driver ${gpu.driver}` : '';
  return gpu.type === 'cpu' ? `no GPU (Vulkan on the CPU: ${gpu.name}${driver})` : `${gpu.name}${driver}`;
}

/** Escapes a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * The README's results table: one row per metric, one column per machine, each cell ours and the
 * ratio to the baseline measured on that machine in the same run.
 *
 * @example
 * ```ts
 * const markdown = renderMarkdownComparison([laptopReport, gpuReport]);
 * ```
 * @param reports - one report per machine (the order of the columns)
 */
export function renderMarkdownComparison(reports: readonly SuiteReport[]): string {
  const order: string[] = [];
  const names = new Map<string, { name: string; baseline: string }>();
  for (const report of reports) {
    for (const bench of report.benchmarks) {
      for (const metric of bench.metrics) {
        if (!names.has(metric.id)) {
          order.push(metric.id);
          names.set(metric.id, { name: `${bench.name}: ${metric.name}`, baseline: metric.baseline?.name ?? '' });
        }
      }
    }
  }
  const find = (report: SuiteReport, id: string) => report.benchmarks.flatMap((b) => b.metrics).find((m) => m.id === id);
  const header = ['metric', 'baseline (same run)', ...reports.map((r) => `${r.machine.id}${r.quick ? ' (quick)' : ''}`)];
  const lines = [`| ${header.map(cell).join(' | ')} |`, `|${header.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const id of order) {
    const { name, baseline } = names.get(id)!;
    const cells = reports.map((report) => {
      const m = find(report, id);
      if (!m) return '';
      if (m.value === null) return 'n/a';
      const words = compareInWords(m);
      const base = m.baseline ? ` vs ${formatValue(m.baseline.value, m.unit)}${words ? ` (${words})` : ''}` : '';
      return `${formatValue(m.value, m.unit)}${base}`;
    });
    lines.push(`| ${[name, baseline, ...cells].map(cell).join(' | ')} |`);
  }
  const machines = reports.map(
    (r) =>
      `- \`${r.machine.id}\`: ${r.machine.cpu.model}, ${r.machine.cpu.cores} cores, ${(r.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB, ` +
      `${gpuText(r.machine)}, backend ${r.machine.backend.auto}, Node ${r.machine.node}, load ${r.machine.loadAverage?.[0] ?? '?'}, ${r.startedAt.slice(0, 10)}`,
  );
  return `${lines.join('\n')}\n\nMachines:\n\n${machines.join('\n')}\n`;
}
