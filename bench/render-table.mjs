#!/usr/bin/env node
// Renders the README's results table from the reports in bench/results/ (one per machine, written
// by `geyser bench --out bench/results/`), naming the machines.
//
//   node bench/render-table.mjs [--dir bench/results] [--write README.md]
//
// Without --write it prints the Markdown; with --write it replaces what lies between the
// `<!-- bench-results:start -->` and `<!-- bench-results:end -->` lines of that file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdownComparison } from '../dist/bench/table.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const START = '<!-- bench-results:start -->';
const END = '<!-- bench-results:end -->';

function option(name) {
  const index = process.argv.indexOf(name);
  if (index < 0) return undefined;
  const value = process.argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

const dir = resolve(option('--dir') ?? join(ROOT, 'bench', 'results'));
const target = option('--write');
const reports = readdirSync(dir)
  .filter((name) => name.endsWith('.json') && !name.endsWith('.tmp.json'))
  .map((name) => ({ name, report: JSON.parse(readFileSync(join(dir, name), 'utf8')) }))
  // Soak reports are pass/fail runs, not figures to compare.
  .filter(({ report }) => report.tool === 'geyser bench' && report.schema === 1)
  // Full runs first, then by machine, so the README leads with the figures that mean most.
  .sort((a, b) => Number(a.report.quick) - Number(b.report.quick) || a.report.machine.id.localeCompare(b.report.machine.id))
  .map(({ report }) => report);
if (reports.length === 0) {
  process.stderr.write(`render-table: no geyser bench reports in ${dir} (write one with: npm run bench)\n`);
  process.exit(1);
}
const table = renderMarkdownComparison(reports);
if (!target) {
  process.stdout.write(table);
} else {
  const path = resolve(target);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    process.stderr.write(`render-table: ${path} has no ${START} ... ${END} block to replace\n`);
    process.exit(1);
  }
  writeFileSync(path, `${text.slice(0, start + START.length)}\n\n${table}\n${text.slice(end)}`);
  process.stderr.write(`render-table: wrote the results of ${reports.length} machine(s) into ${path}\n`);
}
