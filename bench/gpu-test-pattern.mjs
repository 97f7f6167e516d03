// The test pattern on Vulkan: p50 time per frame of gpuTestPattern (three compute passes, one
// submission: draw, row CRCs, stamp; the frame never leaves the device) against the CPU path
// measured in the same run: drawTestPattern (draw + CRC-32 stamp in JS/zlib) plus writeTexture
// (the upload testPattern did before it had a GPU path). On lavapipe "GPU" is the CPU too
// (llvmpipe threads on the same cores); run it on a real GPU before drawing conclusions.
// Usage: node bench/gpu-test-pattern.mjs [--n 20] [--size 1920x1080]
import { createRgbaImage, createTextureShareManager, drawTestPattern, gpuTestPattern } from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const N = Number(option('n', 20));
const [W, H] = option('size', '1920x1080').split('x').map(Number);

const p50 = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const ms = (ns) => `${(ns / 1e6).toFixed(2)} ms`;
/** p50 of `fn(seq)` over N frames after one warm-up (pipeline creation, JIT). */
const time = (fn) => {
  fn(0);
  const samples = [];
  for (let seq = 1; seq <= N; seq++) {
    const start = process.hrtime.bigint();
    fn(seq);
    samples.push(Number(process.hrtime.bigint() - start));
  }
  return p50(samples);
};

const manager = await createTextureShareManager({ backend: 'vulkan' });
const caps = manager.capabilities();
console.log(`device: ${caps.device.name} (${caps.device.type}), ${W}x${H} rgba8unorm, N=${N}, p50 per frame`);
const frame = manager.createShareableTexture({ width: W, height: H, format: 'rgba8unorm', usage: ['storage-binding', 'copy-src', 'copy-dst'] });
const image = createRgbaImage(W, H);

const gpu = time((seq) => gpuTestPattern(manager, frame, seq));
const cpuDraw = time((seq) => drawTestPattern(image, seq));
const cpuUpload = time((seq) => manager.writeTexture(frame, drawTestPattern(image, seq).data));
console.log(`${'CPU drawTestPattern (draw + stamp)'.padEnd(44)} ${ms(cpuDraw).padStart(10)}`);
console.log(`${'CPU drawTestPattern + writeTexture (baseline)'.padEnd(44)} ${ms(cpuUpload).padStart(10)}`);
console.log(`${'gpuTestPattern (draw + row CRCs + stamp)'.padEnd(44)} ${ms(gpu).padStart(10)}   GPU/baseline ${(gpu / cpuUpload).toFixed(2)}x`);
frame.release();
manager.dispose();
