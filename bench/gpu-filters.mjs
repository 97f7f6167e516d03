// GPU compute filters: p50 time per call of each built-in filter (dispatch + fence wait, pixels
// staying on the device), against a baseline measured in the same run: the same integer math in
// a plain JS loop over a CPU copy of the frame, plus the cost of getting that copy (readTexture +
// writeTexture), which a GPU filter avoids. On lavapipe "GPU" is the CPU too (llvmpipe threads).
// Usage: node bench/gpu-filters.mjs [--n 30] [--size 1280x720]
import {
  createTextureShareManager,
  createYuv420PackedTexture,
  createYuv420Planes,
  gpuBoxBlur,
  gpuGrayscale,
  gpuRgbaToYuv420,
  gpuRgbaToYuv420Packed,
  gpuScale,
} from '../dist/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const N = Number(option('n', 30));
const [W, H] = option('size', '1280x720').split('x').map(Number);

const p50 = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const ms = (ns) => `${(ns / 1e6).toFixed(2)} ms`;
const time = (fn) => {
  fn(); // warm-up: pipeline creation, JIT
  const samples = [];
  for (let i = 0; i < N; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start));
  }
  return p50(samples);
};

const manager = await createTextureShareManager({ backend: 'vulkan' });
const caps = manager.capabilities();
console.log(`device: ${caps.device.name} (${caps.device.type}), ${W}x${H} rgba8unorm, N=${N}, p50 per call`);

const usage = ['storage-binding', 'copy-src', 'copy-dst'];
const source = manager.createShareableTexture({ width: W, height: H, format: 'rgba8unorm', usage });
const target = manager.createShareableTexture({ width: W, height: H, format: 'rgba8unorm', usage });
const half = manager.createShareableTexture({ width: W >> 1, height: H >> 1, format: 'rgba8unorm', usage });
const scratch = manager.createShareableTexture({ width: W, height: H, format: 'rgba32float', usage: ['storage-binding'] });
const planes = createYuv420Planes(manager, W, H, 'nv12');
const packed = createYuv420PackedTexture(manager, W, H);
const frame = new Uint8Array(W * H * 4);
for (let i = 0; i < frame.length; i++) frame[i] = (i * 2654435761) >>> 24;
manager.writeTexture(source, frame);

// CPU baselines: the same integer formulas as the shaders, on a JS copy of the frame.
const cpuGray = new Uint8Array(frame.length);
const grayscaleCpu = () => {
  for (let i = 0; i < frame.length; i += 4) {
    const y = ((2126 * frame[i] + 7152 * frame[i + 1] + 722 * frame[i + 2] + 5000) / 10000) | 0;
    cpuGray[i] = cpuGray[i + 1] = cpuGray[i + 2] = y;
    cpuGray[i + 3] = frame[i + 3];
  }
};
const cpuLuma = new Uint8Array(W * H);
const lumaCpu = () => {
  for (let p = 0, i = 0; p < W * H; p++, i += 4) cpuLuma[p] = (11966 * frame[i] + 40254 * frame[i + 1] + 4064 * frame[i + 2] + (16 << 16) + (1 << 15)) >> 16;
};

const rows = [
  ['copy round trip (readTexture + writeTexture)', time(() => manager.writeTexture(target, manager.readTexture(source))), null],
  ['gpuGrayscale', time(() => gpuGrayscale(manager, source, target)), time(grayscaleCpu)],
  ['gpuScale to half size', time(() => gpuScale(manager, source, half)), null],
  ['gpuBoxBlur radius 2', time(() => gpuBoxBlur(manager, source, target, 2, scratch)), null],
  ['gpuRgbaToYuv420 nv12 (bt709)', time(() => gpuRgbaToYuv420(manager, source, planes)), time(lumaCpu)],
  ['gpuRgbaToYuv420Packed nv12 (bt709)', time(() => gpuRgbaToYuv420Packed(manager, source, packed, 'nv12')), time(lumaCpu)],
];
for (const [name, gpu, cpu] of rows) {
  const vs = cpu === null ? '' : `   CPU JS loop ${ms(cpu)} (GPU/CPU ${(gpu / cpu).toFixed(2)}x${/yuv/i.test(name) ? ', CPU does luma only' : ''})`;
  console.log(`${name.padEnd(46)} ${ms(gpu).padStart(10)}${vs}`);
}
for (const texture of [source, target, half, scratch, planes.y, planes.uv, packed]) texture.release();
manager.dispose();
