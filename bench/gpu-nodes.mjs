// Filter nodes in Vulkan pipelines: time per frame with the GPU path (the default: frames are
// storage images) against the CPU path (the same pipeline, its source asking for copy usage only,
// so every node reads its input back and uploads its output), both measured in this run. The
// source uploads one pre-drawn picture per frame on both paths. On lavapipe "GPU" is the CPU too.
// Usage: npm run build:ts && node bench/gpu-nodes.mjs [--frames 30] [--size 640x360]
import { blur, colorConvert, composite, createRgbaImage, defineSource, drawTestPattern, encode, fanIn, grayscale, nullSink, pipeline, scale } from '../dist/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : fallback;
};
const FRAMES = Number(option('frames', 30));
const [W, H] = option('size', '640x360').split('x').map(Number);
const picture = drawTestPattern(createRgbaImage(W, H), 0).data;
const scratch = mkdtempSync(join(tmpdir(), 'geyser-bench-gpu-nodes-'));

/** A source uploading `picture` FRAMES times into frames of `usage` (undefined: the backend's default). */
const source = (usage, name = 'upload') =>
  defineSource(name, async (scope) => {
    for (let seq = 0; seq < FRAMES && !scope.closed; seq++) {
      const frame = await scope.acquireFrame({ width: W, height: H, format: 'rgba8unorm', ...(usage ? { usage } : {}) }, { seq });
      scope.context.manager.writeTexture(frame.texture, picture);
      scope.emit(frame);
    }
  });

/** Milliseconds per frame of source -> ...nodes on Vulkan (fanIn of `inputs` sources when more than 1). */
async function msPerFrame(usage, makeNodes, inputs = 1) {
  const head = inputs === 1 ? source(usage) : fanIn(...Array.from({ length: inputs }, (_, i) => source(usage, `upload${i}`)));
  const start = process.hrtime.bigint();
  await pipeline(head, ...makeNodes(), { backend: 'vulkan' }).done;
  return Number(process.hrtime.bigint() - start) / 1e6 / FRAMES;
}

const cases = [
  ['grayscale', () => [grayscale(), nullSink()]],
  ['scale to half', () => [scale({ width: W / 2, height: H / 2 }), nullSink()]],
  ['blur r4 x3', () => [blur({ radius: 4, passes: 3 }), nullSink()]],
  ['colorConvert i420', () => [colorConvert({ to: 'i420' }), nullSink()]],
  ['grayscale -> blur r2 -> scale', () => [grayscale(), blur({ radius: 2 }), scale({ width: W / 2, height: H / 2 }), nullSink()]],
  ['composite tiles, 4 inputs', () => [composite({ layout: 'tiles' }), nullSink()], 4],
  ['composite overlay, 3 inputs', () => [composite({ layout: 'overlay', layers: [{ x: W / 4, y: H / 4, opacity: 0.5 }, { x: -W / 2, y: H / 2 }] }), nullSink()], 3],
  ['encode (libx264 ultrafast)', () => [encode({ output: join(scratch, `out-${Math.random().toString(36).slice(2)}.mp4`), fps: 30, preset: 'ultrafast' })]],
];

console.log(`Vulkan pipelines, ${W}x${H} rgba8unorm, ${FRAMES} frames each, ms per frame (wall, whole pipeline)`);
console.log('node(s)'.padEnd(34), 'GPU path'.padStart(10), 'CPU path'.padStart(10), '  CPU/GPU');
try {
  await msPerFrame(undefined, cases[0][1]); // warm-up: device, shaders, JIT
  for (const [name, makeNodes, inputs] of cases) {
    const gpu = await msPerFrame(undefined, makeNodes, inputs);
    const cpu = await msPerFrame(['copy-src', 'copy-dst'], makeNodes, inputs);
    console.log(name.padEnd(34), gpu.toFixed(2).padStart(10), cpu.toFixed(2).padStart(10), `  ${(cpu / gpu).toFixed(2)}x`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
