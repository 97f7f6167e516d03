/**
 * Capture-to-encode frames/s at 1920x1080 with libx264 `ultrafast`: our pipeline (pooled frames
 * already rendered -> the `encode` sink, which converts to yuv420p and feeds ffmpeg) beside, in the
 * same run, ffmpeg alone encoding the same pictures as raw yuv420p from a file (the ceiling) and
 * the common Node approach of piping RGBA frames into ffmpeg's stdin. Every contender is timed
 * from start to the finished file, ffmpeg start-up included.
 *
 * @internal
 * @module
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import * as geyser from '../../index.js';
import { defineSource, pipeline, type OperatorNode, type Frame } from '../../index.js';
import { encodeFromFile, encodeRgbaFromStdin, writeRawFrames, type EncodeRun, type EncodeSettings } from '../ffmpeg-baselines.js';
import { renderTestFrames } from '../ffmpeg-frames.js';
import { metric } from '../metric.js';
import { framesPerSecond, microsSince } from '../timing.js';
import type { Benchmark, Metric } from '../types.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const AT = `@ ${WIDTH}x${HEIGHT}`;

/**
 * The media part of the library (the `encode` sink, ffmpeg lookup, the RGBA to yuv420p kernel),
 * looked up on the library's exports at run time: it is a separate part, and a build without it
 * still runs the baselines.
 */
interface MediaApi {
  encode(options: Record<string, unknown>): OperatorNode<Frame, never>;
  locateFfmpeg(): { path: string };
  rgbaToYuv420(source: { data: Uint8Array; width: number; height: number }, target: Uint8Array, layout: 'i420'): Uint8Array;
}
const media = geyser as unknown as Partial<MediaApi>;

/** ffmpeg as the library finds it, else from `FFMPEG_PATH` or `PATH`; undefined when there is none. */
function findFfmpeg(): string | undefined {
  if (media.locateFfmpeg) {
    try {
      return media.locateFfmpeg().path;
    } catch {
      return undefined; // FfmpegNotFound: it already looked everywhere
    }
  }
  const candidates = [process.env.FFMPEG_PATH, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'ffmpeg'))];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}

type EncodeFactory = MediaApi['encode'];

/** Ours: rendered RGBA frames copied into pooled textures (the capture), through the encode sink. */
async function encodeWithPipeline(encode: EncodeFactory, settings: EncodeSettings, rgba: readonly Uint8Array[], frames: number, output: string): Promise<EncodeRun> {
  const start = process.hrtime.bigint();
  const source = defineSource('capture', async (scope) => {
    const { manager } = scope.context;
    for (let seq = 0; seq < frames && !scope.closed; seq++) {
      const frame = await scope.acquireFrame({ width: settings.width, height: settings.height, format: 'rgba8unorm' }, { seq, pts: Math.round((seq * 1e6) / settings.fps) });
      manager.mapTexture!(frame.texture).set(rgba[seq % rgba.length]!);
      scope.emit(frame);
    }
  });
  await pipeline(source, encode({ output, codec: 'libx264', preset: settings.preset, pixelFormat: 'yuv420p', fps: settings.fps }), { backend: 'host' }).done;
  return { frames, micros: microsSince(start) };
}

const encodeBench: Benchmark = {
  name: 'encode',
  description: 'capture-to-encode frames/s (pooled frames -> encode sink, libx264 ultrafast) vs ffmpeg alone on the same yuv420p frames and vs RGBA piped to ffmpeg',
  async run({ quick, progress }) {
    // Quick: x264 at 1080p on a busy 2-core machine does ~10-40 frames/s; keep each contender to seconds.
    const frames = quick ? 30 : 600;
    const distinct = quick ? 6 : 30;
    const ffmpeg = findFfmpeg();
    const names = {
      ceiling: 'ffmpeg alone, raw yuv420p from a file (ceiling)',
      rgba: 'RGBA frames piped into ffmpeg stdin',
    };
    if (!ffmpeg) {
      const reason = 'no ffmpeg found (FFMPEG_PATH, ffmpeg-static, PATH)';
      return {
        metrics: [
          metric({ id: 'encode.fps', name: `capture-to-encode frames/s ${AT}`, value: null, unit: 'frames/s', better: 'higher', reason }),
          metric({ id: 'encode.fps.vs-rgba-pipe', name: `capture-to-encode frames/s vs RGBA piped ${AT}`, value: null, unit: 'frames/s', better: 'higher', reason }),
        ],
      };
    }
    const settings: EncodeSettings = { ffmpeg, width: WIDTH, height: HEIGHT, fps: 30, preset: 'ultrafast' };
    const dir = mkdtempSync(join(tmpdir(), 'geyser-bench-encode-'));
    const metrics: Metric[] = [];
    const notes = [
      `ffmpeg: ${ffmpeg}; ${frames} frames cycling ${distinct} distinct testsrc2 pictures; timed from start to the finished MP4`,
      `the ceiling's yuv420p comes from ${media.rgbaToYuv420 ? "the library's RGBA->yuv420p kernel (what the encode sink feeds ffmpeg)" : "ffmpeg's own conversion (this build has no yuv kernel)"}`,
    ];
    try {
      progress(0.02, 'rendering source frames');
      const rendered = await renderTestFrames(ffmpeg, WIDTH, HEIGHT, distinct, dir);
      // The ceiling gets exactly the yuv420p the sink hands ffmpeg, where the library's kernel exists.
      const yuv = media.rgbaToYuv420
        ? rendered.rgba.map((rgba) => media.rgbaToYuv420!({ data: rgba, width: WIDTH, height: HEIGHT }, new Uint8Array((WIDTH * HEIGHT * 3) / 2), 'i420'))
        : rendered.yuv420p;
      writeRawFrames(join(dir, 'input.yuv'), yuv, frames);
      progress(0.1, names.ceiling);
      const ceiling = await encodeFromFile(settings, join(dir, 'input.yuv'), frames, join(dir, 'ceiling.mp4'));
      progress(0.4, names.rgba);
      const rgbaPipe = await encodeRgbaFromStdin(settings, rendered.rgba, frames, join(dir, 'rgba-pipe.mp4'));
      progress(0.7, 'encode sink');
      const ours = media.encode ? await encodeWithPipeline(media.encode, settings, rendered.rgba, frames, join(dir, 'ours.mp4')) : undefined;
      const reason = media.encode ? undefined : 'the encode sink is not in this build';
      const value = ours ? framesPerSecond(ours.frames, ours.micros) : null;
      metrics.push(
        metric({
          id: 'encode.fps',
          name: `capture-to-encode frames/s ${AT}`,
          value,
          unit: 'frames/s',
          better: 'higher',
          baseline: { name: names.ceiling, value: framesPerSecond(ceiling.frames, ceiling.micros) },
          target: '>= 90% of the ceiling',
          meets: (_, ratio) => ratio !== undefined && ratio >= 0.9,
          reason,
        }),
        metric({
          id: 'encode.fps.vs-rgba-pipe',
          name: `capture-to-encode frames/s vs RGBA piped ${AT}`,
          value,
          unit: 'frames/s',
          better: 'higher',
          baseline: { name: names.rgba, value: framesPerSecond(rgbaPipe.frames, rgbaPipe.micros) },
          reason,
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return { metrics, notes };
  },
};

export default encodeBench;
