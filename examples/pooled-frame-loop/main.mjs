#!/usr/bin/env node
// A steady-state frame loop: after a short warm-up, no texture and no frame buffer is allocated
// again — every frame reuses a pooled shared texture and one of the encoder's few yuv buffers.
// Prints the pools' statistics after warm-up and at the end, and fails if anything was allocated
// in between.
//
//   npm run example:pooled-frame-loop -- --frames 600
//
// Graph (one process): testPattern -> grayscale -> encode. Each node draws its frames from its own
// pool (at most `--pool` slots); when all are in flight the producer waits: that is the backpressure.
import { parseArgs } from 'node:util';
import { defineFilter, defineSource, drawTestPattern, encode, grayscaleRgba, pipeline, probeVideo } from 'geyser';

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    size: { type: 'string', default: '640x360' },
    pool: { type: 'string', default: '4' },
    out: { type: 'string', default: 'loop.mp4' },
    backend: { type: 'string', default: 'auto' },
  },
});
const frames = Number(values.frames);
const warmup = Number(values.warmup);
const [width, height] = values.size.split('x').map(Number);
const pool = { min: 2, max: Number(values.pool) };

let run;
let atWarmup;

const source = defineSource(
  'testPattern',
  async (scope) => {
    const { manager } = scope.context;
    const scratch = manager.mapTexture ? undefined : new Uint8Array(width * height * 4);
    for (let seq = 0; seq < frames && !scope.closed; seq++) {
      if (seq === warmup) {
        atWarmup = run.metricsSnapshot().pools;
      }
      const frame = await scope.acquireFrame({ width, height, format: 'rgba8unorm' }, { seq, pts: Math.round((seq * 1e6) / 30) });
      const data = scratch ?? manager.mapTexture(frame.texture);
      drawTestPattern({ data, width, height }, seq);
      if (scratch) manager.writeTexture(frame.texture, scratch);
      scope.emit(frame);
    }
  },
  { pool },
);

const grayscale = defineFilter(
  'grayscale',
  (scope) => ({
    async next(frame) {
      const { manager } = scope.context;
      const out = await scope.acquireFrame(frame);
      if (manager.mapTexture) {
        grayscaleRgba({ data: manager.mapTexture(frame.texture), width, height }, { data: manager.mapTexture(out.texture), width, height });
      } else {
        const pixels = manager.readTexture(frame.texture);
        grayscaleRgba({ data: pixels, width, height }, { data: pixels, width, height });
        manager.writeTexture(out.texture, pixels);
      }
      scope.emit(out);
    },
  }),
  { pool },
);

let result;
run = pipeline(source, grayscale, encode({ output: values.out, fps: 30, preset: 'ultrafast', maxQueuedFrames: 3, onFinish: (r) => (result = r) }), {
  backend: values.backend,
  metricsIntervalMs: 20,
});
// The last snapshot taken while both pools were still alive (they are retired as the nodes finish).
let atEnd = [];
run.metrics$.subscribe((snapshot) => {
  if (snapshot.pools.length === 2) atEnd = snapshot.pools;
});
await run.ready;
const started = performance.now();
await run.done;
const seconds = (performance.now() - started) / 1000;

const table = (pools) =>
  pools.map(({ name, allocations, slots, maxLeasesOut, acquires }) => ({ name, allocations, slots, maxLeasesOut, acquires }));
console.log(`after warm-up (${warmup} frames):`);
console.table(table(atWarmup));
console.log(`near the end (${frames} frames, ${(frames / seconds).toFixed(1)} fps on ${run.describe().backend}):`);
console.table(table(atEnd));

const allocatedInLoop = atEnd.reduce((sum, p) => sum + p.allocations, 0) - atWarmup.reduce((sum, p) => sum + p.allocations, 0);
console.log(`textures allocated after warm-up: ${allocatedInLoop}`);
console.log(`encoder: ${result.frames} frames converted into 3 reusable yuv420p buffers`);
const probe = await probeVideo(values.out);
console.log(`${values.out}: ${probe.codec} ${probe.width}x${probe.height}, ${probe.frames} frames`);
const ok = atEnd.length === 2 && allocatedInLoop === 0 && probe.frames === frames && probe.codec === 'h264';
console.log(ok ? 'OK' : 'MISMATCH');
process.exitCode = ok ? 0 : 1;
