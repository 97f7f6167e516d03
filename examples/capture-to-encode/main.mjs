#!/usr/bin/env node
// Capture -> filters -> H.264 MP4, then check the file with ffprobe.
//
// The "capture" is ffmpeg's testsrc2 by default so it runs anywhere (CI included); point it at a
// real camera with `--input /dev/video0 --format v4l2`, or at a file with `--input clip.mp4`.
// Frames travel as pooled shared textures: ffmpeg decodes straight into the source's pool, the
// filters write into their own pools, and the encoder converts to yuv420p for ffmpeg.
//
//   npm run example:capture-to-encode -- --frames 90 --out capture.mp4
import { parseArgs } from 'node:util';
import { defineFilter, drawText, encode, ffmpegSource, pipeline, probeVideo, scaleBilinear } from 'geyser';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: 'testsrc2=size=1280x720:rate=30' },
    format: { type: 'string' },
    frames: { type: 'string', default: '90' },
    capture: { type: 'string', default: '1280x720' },
    size: { type: 'string', default: '640x360' },
    fps: { type: 'string', default: '30' },
    out: { type: 'string', default: 'capture.mp4' },
  },
});
const format = values.format ?? (values.input.startsWith('testsrc') ? 'lavfi' : undefined);
const [captureWidth, captureHeight] = values.capture.split('x').map(Number);
const [width, height] = values.size.split('x').map(Number);
const frames = Number(values.frames);
const fps = Number(values.fps);

/** Filter 1: scale the capture down to the output size (bilinear, CPU kernel). */
const downscale = defineFilter('downscale', (scope) => ({
  async next(frame) {
    const { manager } = scope.context;
    const out = await scope.acquireFrame({ width, height, format: 'rgba8unorm' }, { seq: frame.seq, pts: frame.pts });
    const source = { data: manager.readTexture(frame.texture), width: frame.width, height: frame.height };
    const target = { data: new Uint8Array(width * height * 4), width, height };
    scaleBilinear(source, target);
    manager.writeTexture(out.texture, target.data);
    scope.emit(out);
  },
}));

/** Filter 2: burn the frame number and timestamp in, in place (the frame is ours to change). */
const timestamp = defineFilter('timestamp', (scope) => ({
  next(frame) {
    const { manager } = scope.context;
    const image = { data: manager.readTexture(frame.texture), width: frame.width, height: frame.height };
    drawText(image, `#${frame.seq} ${(frame.pts / 1e6).toFixed(2)}`, 8, 8, 2, [255, 255, 0, 255]);
    manager.writeTexture(frame.texture, image.data);
    scope.emit(frame);
  },
}));

const run = pipeline(
  ffmpegSource({ input: values.input, format, width: captureWidth, height: captureHeight, frames, fps }),
  downscale,
  timestamp,
  encode({ output: values.out, fps, preset: 'veryfast', onProgress: (p) => process.stderr.isTTY && process.stderr.write(`\rencoded ${p.frames} frames`) }),
);
await run.ready;
for (const edge of run.describe().edges) console.log(`edge ${edge.from} -> ${edge.to}: ${edge.primitive}`);
await run.done;
if (process.stderr.isTTY) process.stderr.write('\n');

const probe = await probeVideo(values.out);
console.log(`${values.out}: ${probe.codec} ${probe.width}x${probe.height} ${probe.pixelFormat}, ${probe.frames} frames`);
const ok = probe.codec === 'h264' && probe.width === width && probe.height === height && probe.frames === frames;
console.log(ok ? 'OK' : `MISMATCH: expected h264 ${width}x${height} with ${frames} frames`);
process.exitCode = ok ? 0 : 1;
