/**
 * Capture-to-encode frames/s at 1920x1080 with libx264 `ultrafast`: our pipeline (pooled frames
 * already rendered -> the `encode` sink, which converts to yuv420p and feeds ffmpeg) beside, in the
 * same run, ffmpeg alone encoding the same pictures as raw yuv420p from a file (the ceiling), the
 * sink's transport alone (the same yuv420p through its encoder and socket: no conversion) and the
 * common Node approach of piping RGBA frames into ffmpeg's stdin. Every contender is timed from
 * start to the finished file, ffmpeg start-up included.
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
import { median } from '../stats.js';
import { runDemoPipeline } from '../../cli/demo.js';
import { probeVulkan } from '../../core/vulkan/manager.js';
import { framesPerSecond } from '../timing.js';
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
  FfmpegEncoder: {
    open(options: Record<string, unknown>): Promise<{ readonly options: { maxQueuedFrames: number }; writeShared(frame: Uint8Array): Promise<void>; finish(): Promise<unknown> }>;
  };
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

/**
 * Ours: a pool of shared textures holding rendered pictures (the "frames already rendered" the
 * goal speaks of). The source first fills one slot per distinct picture, and the clock starts
 * there, as the ceiling's starts with its input file already written: from the first frame sent
 * to the finished file, ffmpeg's start (the sink opens it on the first frame) included. Recycled
 * slots keep their pictures, so the figure measures the path from shared texture into ffmpeg, not
 * drawing or a per-frame copy, and the pool's size still paces the source as in a real pipeline.
 * On Vulkan the sink converts on the GPU and reads back only the yuv420p bytes.
 */
async function encodeWithPipeline(encode: EncodeFactory, settings: EncodeSettings, rgba: readonly Uint8Array[], frames: number, output: string, backend: 'host' | 'vulkan' = 'host'): Promise<EncodeRun> {
  let start: bigint | undefined;
  const request = { width: settings.width, height: settings.height, format: 'rgba8unorm' } as const;
  const pts = (seq: number): number => Math.round((seq * 1e6) / settings.fps);
  const source = defineSource(
    'rendered-pool',
    async (scope) => {
      const { manager } = scope.context;
      const rendered: Frame[] = [];
      for (let seq = 0; seq < Math.min(frames, rgba.length) && !scope.closed; seq++) {
        const frame = await scope.acquireFrame(request, { seq, pts: pts(seq) });
        if (manager.mapTexture) manager.mapTexture(frame.texture).set(rgba[seq]!);
        else manager.writeTexture(frame.texture, rgba[seq]!);
        rendered.push(frame);
      }
      start = process.hrtime.bigint();
      for (const frame of rendered) scope.emit(frame);
      for (let seq = rendered.length; seq < frames && !scope.closed; seq++) {
        // Every slot was painted above: whichever comes back still holds its picture.
        scope.emit(await scope.acquireFrame(request, { seq, pts: pts(seq) }));
      }
    },
    { pool: { min: rgba.length, max: rgba.length } },
  );
  // Stopped when the file is complete (ffmpeg exited), as the baselines' clocks stop; the pool's
  // teardown after that (unmapping the rendered textures) is not part of the encode.
  let finished: bigint | undefined;
  const sink = encode({ output, codec: 'libx264', preset: settings.preset, pixelFormat: 'yuv420p', fps: settings.fps, onFinish: () => (finished = process.hrtime.bigint()) });
  await pipeline(source, sink, { backend }).done;
  if (start === undefined || finished === undefined) throw new Error('the encode sink never finished a file');
  return { frames, micros: Number(finished - start) / 1000 };
}

/**
 * The sink's transport alone: yuv420p frames converted before the clock starts, handed to the
 * sink's own encoder (its ffmpeg arguments, its Unix socket, `maxQueuedFrames` in flight) without
 * a copy. No conversion at all, so this bounds any design that converts on the CPU, ours included:
 * the gap between it and the ceiling is what moving bytes into ffmpeg costs, the gap between it and
 * ours what converting costs.
 */
async function encodePreconverted(encoderClass: MediaApi['FfmpegEncoder'], settings: EncodeSettings, yuv: readonly Uint8Array[], frames: number, output: string): Promise<EncodeRun> {
  const start = process.hrtime.bigint();
  const encoder = await encoderClass.open({ output, width: settings.width, height: settings.height, fps: settings.fps, codec: 'libx264', preset: settings.preset, pixelFormat: 'yuv420p' });
  const pending: Array<Promise<void>> = [];
  for (let seq = 0; seq < frames; seq++) {
    pending.push(encoder.writeShared(yuv[seq % yuv.length]!));
    if (pending.length >= encoder.options.maxQueuedFrames) await pending.shift();
  }
  await Promise.all(pending);
  await encoder.finish();
  return { frames, micros: Number(process.hrtime.bigint() - start) / 1000 };
}

/**
 * The encoder's back end checks once per process that ffmpeg has the codec and formats (two short
 * ffmpeg runs); done here, before any clock, so whichever contender opens an encoder first does not
 * carry a one-time cost the others skip.
 */
async function warmUpEncoder(encoderClass: MediaApi['FfmpegEncoder'] | undefined, fps: number, output: string): Promise<void> {
  if (!encoderClass) return;
  const encoder = await encoderClass.open({ output, width: 16, height: 16, fps, codec: 'libx264', preset: 'ultrafast', pixelFormat: 'yuv420p' });
  await encoder.writeShared(new Uint8Array((16 * 16 * 3) / 2));
  await encoder.finish();
}

const encodeBench: Benchmark = {
  name: 'encode',
  description: 'capture-to-encode frames/s (pooled frames -> encode sink, libx264 ultrafast) vs ffmpeg alone on the same yuv420p frames, the sink\'s transport alone, and RGBA piped to ffmpeg',
  async run({ quick, progress }) {
    // Quick: x264 at 1080p on a busy 2-core machine does ~10-40 frames/s; keep each contender to seconds.
    const frames = quick ? 30 : 300;
    const distinct = quick ? 6 : 30;
    const ffmpeg = findFfmpeg();
    const names = {
      ceiling: 'ffmpeg alone, raw yuv420p from a file (ceiling)',
      rgba: 'RGBA frames piped into ffmpeg stdin',
      transport: "yuv420p converted beforehand, through the sink's encoder and socket (no conversion: the transport alone)",
    };
    if (!ffmpeg) {
      const reason = 'no ffmpeg found (FFMPEG_PATH, ffmpeg-static, PATH)';
      return {
        metrics: [
          metric({ id: 'encode.fps', name: `capture-to-encode frames/s ${AT}`, value: null, unit: 'frames/s', better: 'higher', reason }),
          metric({ id: 'encode.fps.vs-rgba-pipe', name: `capture-to-encode frames/s vs RGBA piped ${AT}`, value: null, unit: 'frames/s', better: 'higher', reason }),
          metric({ id: 'encode.fps.vulkan', name: `capture-to-encode frames/s on Vulkan ${AT}`, value: null, unit: 'frames/s', better: 'higher', reason }),
          metric({ id: 'encode.fps.transport-only', name: `frames/s of the sink's transport alone ${AT}`, value: null, unit: 'frames/s', better: 'higher', reason }),
          metric({ id: 'encode.demo.fps', name: `geyser demo frames/s ${AT}`, value: null, unit: 'frames/s', better: 'higher', reason }),
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
      // Rounds alternate the contenders (in a rotating order) and each reports its median, so a
      // burst of load on a small machine cannot favour whichever ran in a quiet moment.
      // Five in a full run: one round's figures swing by 15% on a small busy machine.
      const rounds = quick ? 1 : 5;
      const gpu = await probeVulkan({});
      const runs: Record<'ceiling' | 'rgba' | 'transport' | 'ours' | 'vulkan', number[]> = { ceiling: [], rgba: [], transport: [], ours: [], vulkan: [] };
      const contenders: Array<[keyof typeof runs, () => Promise<EncodeRun | undefined>]> = [
        ['ceiling', () => encodeFromFile(settings, join(dir, 'input.yuv'), frames, join(dir, 'ceiling.mp4'))],
        ['rgba', () => encodeRgbaFromStdin(settings, rendered.rgba, frames, join(dir, 'rgba-pipe.mp4'))],
        ['transport', async () => (media.FfmpegEncoder ? encodePreconverted(media.FfmpegEncoder, settings, yuv, frames, join(dir, 'transport.mp4')) : undefined)],
        ['ours', async () => (media.encode ? encodeWithPipeline(media.encode, settings, rendered.rgba, frames, join(dir, 'ours.mp4')) : undefined)],
      ];
      // A GPU's Vulkan device: the sink's GPU path too (on lavapipe the "GPU" is these same CPU cores).
      if (gpu.preferred && media.encode) contenders.push(['vulkan', () => encodeWithPipeline(media.encode!, settings, rendered.rgba, frames, join(dir, 'vulkan.mp4'), 'vulkan')]);
      await warmUpEncoder(media.FfmpegEncoder, settings.fps, join(dir, 'warm-up.mp4'));
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < contenders.length; i++) {
          const [name, run] = contenders[(i + round) % contenders.length]!;
          progress(0.1 + (0.9 * (round * contenders.length + i)) / (rounds * contenders.length), `round ${round + 1}/${rounds}: ${name}`);
          const result = await run();
          if (result) runs[name].push(framesPerSecond(result.frames, result.micros));
        }
      }
      notes.push(`${rounds} round(s), contenders alternating; frames/s per round: ceiling ${runs.ceiling.map(round2).join(', ')}; RGBA pipe ${runs.rgba.map(round2).join(', ')}; transport alone ${runs.transport.map(round2).join(', ') || 'n/a'}; ours ${runs.ours.map(round2).join(', ') || 'n/a'}; ours on Vulkan ${runs.vulkan.map(round2).join(', ') || `not run (${gpu.reason})`}`);
      const reason = media.encode ? undefined : 'the encode sink is not in this build';
      const value = runs.ours.length > 0 ? median(runs.ours) : null;
      metrics.push(
        metric({
          id: 'encode.fps',
          name: `capture-to-encode frames/s ${AT}`,
          value,
          unit: 'frames/s',
          better: 'higher',
          baseline: { name: names.ceiling, value: median(runs.ceiling) },
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
          baseline: { name: names.rgba, value: median(runs.rgba) },
          reason,
        }),
      );
      metrics.push(
        metric({
          id: 'encode.fps.transport-only',
          name: `frames/s of the sink's transport alone, yuv420p converted beforehand (the bound for any CPU conversion) ${AT}`,
          value: runs.transport.length > 0 ? median(runs.transport) : null,
          unit: 'frames/s',
          better: 'higher',
          baseline: { name: names.ceiling, value: median(runs.ceiling) },
          reason: runs.transport.length > 0 ? undefined : 'the ffmpeg encoder is not in this build',
        }),
        metric({
          id: 'encode.fps.vulkan',
          name: `capture-to-encode frames/s on Vulkan (GPU yuv420p convert, one readback) ${AT}`,
          value: runs.vulkan.length > 0 ? median(runs.vulkan) : null,
          unit: 'frames/s',
          better: 'higher',
          baseline: { name: names.ceiling, value: median(runs.ceiling) },
          target: '>= 90% of the ceiling',
          meets: (_, ratio) => ratio !== undefined && ratio >= 0.9,
          reason: runs.vulkan.length > 0 ? undefined : `no GPU Vulkan device (${gpu.reason})`,
        }),
      );
      progress(0.97, 'geyser demo');
      metrics.push(await demoMetric(settings, frames, join(dir, 'demo.mp4'), median(runs.ceiling), names.ceiling, notes));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return { metrics, notes };
  },
};

export default encodeBench;

/** A figure for a note: two decimals. */
function round2(value: number): string {
  return value.toFixed(2);
}

/**
 * The whole main job at the same size and preset (pattern drawing, a filter and three processes
 * included), beside the ceiling. A demo that fails is reported, not fatal to the other figures.
 */
async function demoMetric(settings: EncodeSettings, frames: number, output: string, ceiling: number, ceilingName: string, notes: string[]): Promise<Metric> {
  const base = { id: 'encode.demo.fps', unit: 'frames/s', better: 'higher', baseline: { name: ceilingName, value: ceiling } } as const;
  try {
    const demo = await runDemoPipeline({ frames, width: WIDTH, height: HEIGHT, fps: settings.fps, backend: 'auto', processes: 3, preset: settings.preset, output, json: false });
    notes.push(`geyser demo: its own test pattern (flat bars, cheaper for x264 than testsrc2), so its ratio to the ceiling compares different pictures; ${demo.frames} frames in ${demo.seconds.toFixed(2)} s (${demo.startupSeconds.toFixed(2)} s startup), backend ${demo.backend} (${demo.device}); edges: ${demo.edges.map((e) => `${e.from}->${e.to} ${e.primitive}`).join(', ')}`);
    return metric({ ...base, name: `geyser demo frames/s (testPattern | grayscale | encode, 3 processes, default backend) ${AT}`, value: Math.round(demo.fps * 100) / 100 });
  } catch (error) {
    return metric({ ...base, name: `geyser demo frames/s ${AT}`, value: null, reason: `the demo failed: ${(error as Error).message.split('\n')[0]}` });
  }
}
