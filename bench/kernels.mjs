// CPU pixel kernels at 1920x1080 RGBA: milliseconds per frame, and each kernel's cost relative to
// a plain copy of the frame measured in the same run (the floor any kernel pays to touch every byte).
// Wall and CPU time are both reported: on a shared machine, CPU time is the steadier one.
// Run: npm run build:ts && node bench/kernels.mjs [--json]
import { performance } from 'node:perf_hooks';
import {
  boxBlur, compositeTiles, createRgbaImage, decodePng, drawTestPattern, encodePng, grayscaleRgba,
  grayscaleRgbaNative, overlayRgba, rgbaToYuv420, rgbaToYuv420Native, boxBlurNative, scaleBilinearNative, scaleBilinear, stampChecksum, verifyChecksum, yuv420ByteLength,
} from '../dist/index.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const json = process.argv.includes('--json');

const source = createRgbaImage(WIDTH, HEIGHT);
drawTestPattern(source, 1);
const target = createRgbaImage(WIDTH, HEIGHT);
const half = createRgbaImage(WIDTH / 2, HEIGHT / 2);
const quarter = createRgbaImage(WIDTH / 2, HEIGHT / 2);
drawTestPattern(quarter, 2);
const yuv = new Uint8Array(yuv420ByteLength(WIDTH, HEIGHT));
const png = encodePng(source, { level: 1 });

/**
 * Median wall time and median CPU time (this thread's user+system) per iteration after a warm-up,
 * so JIT tiers and GC spikes don't decide. On a shared machine the CPU time is the steadier figure:
 * wall time also counts the time other processes held the core.
 */
function measure(run, { warmup = 3, iterations = 15 } = {}) {
  for (let i = 0; i < warmup; i++) run(i);
  const wall = [];
  const cpu = [];
  for (let i = 0; i < iterations; i++) {
    const cpuStart = process.threadCpuUsage?.() ?? process.cpuUsage();
    const start = performance.now();
    run(i);
    wall.push(performance.now() - start);
    const cpuEnd = process.threadCpuUsage?.(cpuStart) ?? process.cpuUsage(cpuStart);
    cpu.push((cpuEnd.user + cpuEnd.system) / 1000);
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  return { ms: median(wall), cpuMs: median(cpu) };
}

const baseline = measure(() => target.data.set(source.data), { iterations: 31 });
const cases = [
  ['grayscaleRgba', () => grayscaleRgba(source, target)],
  ['grayscaleRgbaNative', () => grayscaleRgbaNative(source, target)],
  ['scaleBilinear 1080p->540p', () => scaleBilinear(source, half)],
  ['scaleBilinear 540p->1080p', () => scaleBilinear(quarter, target)],
  ['boxBlur r=2', () => boxBlur(source, target, 2)],
  ['boxBlur r=16', () => boxBlur(source, target, 16)],
  ['boxBlurNative r=2', () => boxBlurNative(source, target, 2)],
  ['scaleBilinearNative 1080p->540p', () => scaleBilinearNative(source, half)],
  ['scaleBilinearNative 540p->1080p', () => scaleBilinearNative(quarter, target)],
  ['rgbaToYuv420 nv12 bt709', () => rgbaToYuv420(source, yuv, 'nv12')],
  ['rgbaToYuv420 i420 bt601', () => rgbaToYuv420(source, yuv, 'i420', 'bt601')],
  ['rgbaToYuv420Native i420 bt709', () => rgbaToYuv420Native(source, yuv, 'i420')],
  ['compositeTiles 4 x 540p', () => compositeTiles([quarter, quarter, quarter, quarter], target)],
  ['overlayRgba 540p', () => overlayRgba(target, quarter, { x: 100, y: 100, opacity: 0.5 })],
  ['drawTestPattern (with stamp)', (i) => drawTestPattern(target, i)],
  ['stampChecksum', (i) => stampChecksum(target.data, WIDTH, HEIGHT, i)],
  ['verifyChecksum', () => verifyChecksum(target.data, WIDTH, HEIGHT)],
  ['encodePng level 1', () => encodePng(source, { level: 1 }), { iterations: 5 }],
  ['decodePng', () => decodePng(png), { iterations: 5 }],
];

const rows = [{ kernel: 'copy (baseline)', ...baseline, ratio: 1 }];
for (const [kernel, run, options] of cases) {
  const { ms, cpuMs } = measure(run, options);
  rows.push({ kernel, ms, cpuMs, ratio: cpuMs / baseline.cpuMs });
}

if (json) {
  console.log(JSON.stringify({ width: WIDTH, height: HEIGHT, node: process.version, rows }, null, 2));
} else {
  console.log(`CPU kernels, ${WIDTH}x${HEIGHT} RGBA, node ${process.version}, medians per frame (ratio: CPU time vs a frame copy)`);
  console.log(`${'kernel'.padEnd(32)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'vs copy'.padStart(8)} ${'fps(cpu)'.padStart(8)}`);
  for (const { kernel, ms, cpuMs, ratio } of rows) {
    console.log(`${kernel.padEnd(32)} ${ms.toFixed(2).padStart(8)} ${cpuMs.toFixed(2).padStart(8)} ${ratio.toFixed(1).padStart(7)}x ${(1000 / cpuMs).toFixed(0).padStart(8)}`);
  }
}
