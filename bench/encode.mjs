#!/usr/bin/env node
// Encode throughput at 1920x1080, libx264 ultrafast, every variant on the same ffmpeg in the same
// run, so the ratios hold on whatever machine this runs on:
//
//   ceiling         ffmpeg alone, reading raw yuv420p frames from a file (page cache)
//   rgba-stdin      the common Node approach: RGBA frames written to ffmpeg's stdin
//   yuv-stdin       yuv420p frames written to ffmpeg's stdin by a plain spawn
//   encoder-socket  Geyser's FfmpegEncoder, yuv420p frames through its Unix socket (the sink's
//                   transport, as used once frames arrive already converted, e.g. by a GPU)
//   encoder-stdin   the same through stdin
//   encode-sink     the encode() sink in a pipeline, fed from a pool of RGBA frames already
//                   rendered: CPU RGBA->yuv420p conversion plus the socket
//   demo            the whole `geyser demo` (3 processes: pattern, grayscale, encode), 1280x720
//
//   node bench/encode.mjs [--frames 240] [--rounds 2] [--json] [--skip-demo]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defineSource, drawTestPattern, encode, FfmpegEncoder, locateFfmpeg, pipeline, rgbaToYuv420, yuv420pFrameBytes } from '../dist/index.js';
import { parseDemoArgs, runDemoPipeline } from '../dist/cli/demo.js';

const { values } = parseArgs({ options: { frames: { type: 'string', default: '240' }, rounds: { type: 'string', default: '2' }, json: { type: 'boolean', default: false }, 'skip-demo': { type: 'boolean', default: false } } });
const FRAMES = Number(values.frames);
const ROUNDS = Number(values.rounds);
const W = 1920;
const H = 1080;
const DISTINCT = 8; // frames in the pre-rendered pool / file, reused in turn
const ffmpeg = locateFfmpeg().path;
const dir = mkdtempSync(join(tmpdir(), 'geyser-bench-encode-'));
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

// Frames rendered once: RGBA test patterns and their yuv420p conversions.
const rgbaFrames = [];
const yuvFrames = [];
for (let i = 0; i < DISTINCT; i++) {
  const rgba = new Uint8Array(W * H * 4);
  drawTestPattern({ data: rgba, width: W, height: H }, i);
  const yuv = new Uint8Array(yuv420pFrameBytes(W, H));
  rgbaToYuv420({ data: rgba, width: W, height: H }, yuv, 'i420');
  rgbaFrames.push(rgba);
  yuvFrames.push(yuv);
}
const yuvFile = join(dir, 'frames.yuv');
writeFileSync(yuvFile, Buffer.concat(yuvFrames));

function runFfmpeg(args, feed) {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: [feed ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${stderr}`))));
    if (feed) feed(child.stdin).catch(reject);
  });
}

/** Writes FRAMES frames from `frames` to `stream`, waiting for drain (the usual Node pattern). */
async function writeAll(stream, frames) {
  for (let i = 0; i < FRAMES; i++) {
    if (!stream.write(frames[i % frames.length])) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
}

const variants = {
  async ceiling(out) {
    await runFfmpeg(['-stream_loop', String(Math.ceil(FRAMES / DISTINCT) - 1), '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${W}x${H}`, '-framerate', '30', '-i', yuvFile, '-frames:v', String(FRAMES), ...x264, out]);
  },
  async 'rgba-stdin'(out) {
    await runFfmpeg(['-f', 'rawvideo', '-pix_fmt', 'rgba', '-video_size', `${W}x${H}`, '-framerate', '30', '-i', 'pipe:0', ...x264, out], (stdin) => writeAll(stdin, rgbaFrames));
  },
  async 'yuv-stdin'(out) {
    await runFfmpeg(['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${W}x${H}`, '-framerate', '30', '-i', 'pipe:0', ...x264, out], (stdin) => writeAll(stdin, yuvFrames));
  },
  async 'encoder-socket'(out) {
    await encoderRun(out, 'socket');
  },
  async 'encoder-stdin'(out) {
    await encoderRun(out, 'stdin');
  },
  async 'encode-sink'(out) {
    // A source whose pool slots are rendered once (first use) and then only re-emitted.
    const source = defineSource(
      'prerendered',
      async (scope) => {
        const { manager } = scope.context;
        const rendered = new Set();
        for (let seq = 0; seq < FRAMES && !scope.closed; seq++) {
          const frame = await scope.acquireFrame({ width: W, height: H, format: 'rgba8unorm' }, { seq });
          if (!rendered.has(frame.slot)) {
            rendered.add(frame.slot);
            manager.writeTexture(frame.texture, rgbaFrames[frame.slot % DISTINCT]);
          }
          scope.emit(frame);
        }
      },
      { pool: { min: 4, max: 4 } },
    );
    await pipeline(source, encode({ output: out, fps: 30, preset: 'ultrafast' }), { backend: 'host' }).done;
  },
};

async function encoderRun(out, transport) {
  // Frames already converted: handed over without a copy, up to maxQueuedFrames in flight.
  const encoder = await FfmpegEncoder.open({ output: out, width: W, height: H, fps: 30, preset: 'ultrafast', transport });
  const pending = [];
  for (let i = 0; i < FRAMES; i++) {
    pending.push(encoder.writeShared(yuvFrames[i % DISTINCT]));
    if (pending.length >= encoder.options.maxQueuedFrames) await pending.shift();
  }
  await Promise.all(pending);
  await encoder.finish();
}

// fluent-ffmpeg checks the codec and formats exist once per process (two short ffmpeg runs); do
// that before timing, so the first Geyser variant does not carry a one-time cost the others skip.
{
  const warm = await FfmpegEncoder.open({ output: join(dir, 'warm.mp4'), width: 16, height: 16, fps: 30, preset: 'ultrafast' });
  await warm.write(new Uint8Array(warm.frameBytes));
  await warm.finish();
}

const results = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of Object.entries(variants)) {
    const out = join(dir, `${name}.mp4`);
    const started = performance.now();
    await run(out);
    const fps = FRAMES / ((performance.now() - started) / 1000);
    (results[name] ??= []).push(fps);
    rmSync(out, { force: true });
  }
}
rmSync(dir, { recursive: true, force: true });

const best = Object.fromEntries(Object.entries(results).map(([name, list]) => [name, Math.max(...list)]));
let demo;
if (!values['skip-demo']) {
  const summary = await runDemoPipeline(parseDemoArgs(['--frames', '150', '--size', '1280x720', '--out', join(tmpdir(), `geyser-bench-demo-${process.pid}.mp4`)]));
  rmSync(summary.output, { force: true });
  demo = { fps: summary.fps, fpsWithStartup: summary.frames / summary.seconds, startupSeconds: summary.startupSeconds, frames: summary.frames, size: '1280x720', backend: summary.backend, processes: summary.processes };
}

const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`;
if (values.json) {
  console.log(JSON.stringify({ machine, ffmpeg, frames: FRAMES, size: `${W}x${H}`, fps: best, runs: results, ratioToCeiling: Object.fromEntries(Object.entries(best).map(([n, f]) => [n, f / best.ceiling])), demo }, null, 2));
} else {
  console.log(`encode 1920x1080 libx264 ultrafast, ${FRAMES} frames, best of ${ROUNDS}; ${machine}; ffmpeg ${ffmpeg}`);
  for (const [name, fps] of Object.entries(best)) {
    console.log(`  ${name.padEnd(15)} ${fps.toFixed(1).padStart(7)} fps  ${((fps / best.ceiling) * 100).toFixed(0).padStart(4)}% of ceiling  (runs: ${results[name].map((f) => f.toFixed(1)).join(', ')})`);
  }
  console.log(`  encoder-socket vs yuv-stdin: ${(best['encoder-socket'] / best['yuv-stdin']).toFixed(2)}x; vs rgba-stdin: ${(best['encoder-socket'] / best['rgba-stdin']).toFixed(2)}x`);
  if (demo) console.log(`  demo ${demo.size} (${demo.processes} processes, ${demo.backend}): ${demo.fps.toFixed(1)} fps running, ${demo.fpsWithStartup.toFixed(1)} fps with its ${demo.startupSeconds.toFixed(2)} s startup, ${demo.frames} frames`);
}
