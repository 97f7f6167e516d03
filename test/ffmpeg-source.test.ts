// ffmpegSource() in real pipelines on the host backend: frames byte-exact against ffmpeg's own
// output, errors through `run.done`, an endless source stopped without leaks.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defineSink, ffmpegSource, GeyserError, locateFfmpeg, pipeline, type Frame } from '../src/index.js';
import { expectSettledPerTest } from './ffmpeg-leaks.js';

/** Whether the ffmpeg in use has the Linux capture input (ffmpeg -devices lists v4l2). */
const hasV4l2 = /\bv4l2\b/.test(execFileSync(locateFfmpeg().path, ['-hide_banner', '-devices'], { encoding: 'utf8' }));

expectSettledPerTest();

/** A sink that copies each frame's pixels out. */
function collect(into: Array<{ seq: number; pts: number; pixels: Buffer }>) {
  return defineSink<Frame>('collect', (scope) => ({
    next(frame) {
      into.push({ seq: frame.seq, pts: frame.pts, pixels: Buffer.from(scope.context.manager.readTexture(frame.texture)) });
    },
  }));
}

describe('ffmpegSource', () => {
  it('delivers exactly the RGBA frames ffmpeg decodes, with seq and pts from fps, through pooled textures', async () => {
    const frames: Array<{ seq: number; pts: number; pixels: Buffer }> = [];
    const run = pipeline(ffmpegSource({ input: 'testsrc2=size=96x54:rate=25', format: 'lavfi', width: 96, height: 54, frames: 20, fps: 25, pool: { max: 2 } }), collect(frames), { backend: 'host' });
    await run.done;
    const reference = execFileSync(locateFfmpeg().path, ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=96x54:rate=25', '-frames:v', '20', '-vf', 'scale=96:54', '-pix_fmt', 'rgba', '-f', 'rawvideo', 'pipe:1']);
    expect(frames.map((f) => f.seq)).toEqual([...Array(20).keys()]);
    expect(frames.map((f) => f.pts)).toEqual([...Array(20).keys()].map((i) => i * 40_000));
    expect(Buffer.concat(frames.map((f) => f.pixels)).equals(reference)).toBe(true);
  });

  it('fails the pipeline with FfmpegFailed naming an input that does not exist', async () => {
    const error = await pipeline(ffmpegSource({ input: '/nonexistent/clip.mp4', width: 16, height: 16 }), collect([]), { backend: 'host' }).done.catch((e: unknown) => e as GeyserError);
    expect(error).toBeInstanceOf(GeyserError);
    expect(error).toMatchObject({ code: 'FfmpegFailed' });
    expect((error as GeyserError).message).toMatch(/^ffmpeg \(pid \d+\) exited with code 1 while decoding '\/nonexistent\/clip\.mp4' after 0 frames; last stderr lines:\n {2}\/nonexistent\/clip\.mp4: No such file or directory$/);
  });

  // A capture device needs hardware this machine lacks; what can be checked is that a device path
  // reaches ffmpeg's v4l2 input with its options, and that a missing or wrong device is named.
  it.skipIf(!hasV4l2)('fails with FfmpegFailed naming a capture device that is missing or is not a camera', async () => {
    for (const [device, why] of [['/dev/video-geyser-missing', /Cannot open video device \/dev\/video-geyser-missing/], ['/dev/null', /\/dev\/null/]] as const) {
      const source = ffmpegSource({ input: device, format: 'v4l2', inputOptions: ['-framerate', '30', '-video_size', '640x360'], width: 64, height: 36, frames: 10 });
      const error = await pipeline(source, collect([]), { backend: 'host' }).done.catch((e: unknown) => e as GeyserError);
      expect(error).toBeInstanceOf(GeyserError);
      expect(error).toMatchObject({ code: 'FfmpegFailed' });
      expect((error as GeyserError).message).toMatch(new RegExp(`^ffmpeg \\(pid \\d+\\) exited with code 1 while decoding '${device}' after 0 frames; last stderr lines:\n`));
      expect((error as GeyserError).message).toMatch(why);
    }
  });

  it('stops an endless lavfi source on stop(), leaving no ffmpeg running', async () => {
    const frames: Array<{ seq: number; pts: number; pixels: Buffer }> = [];
    const run = pipeline(ffmpegSource({ input: 'testsrc2=size=64x64:rate=30', format: 'lavfi', width: 64, height: 64 }), collect(frames), { backend: 'host' });
    // Wait for frames, but surface a pipeline that ended early instead of waiting forever.
    const ended = run.done.then(() => 'completed', (error: unknown) => error);
    while (frames.length < 5) {
      const early = await Promise.race([ended, new Promise((resolve) => setTimeout(() => resolve(undefined), 10))]);
      if (early !== undefined) throw new Error(`the endless source ended early: ${String(early)}`);
    }
    await run.stop();
    expect(frames.length).toBeGreaterThanOrEqual(5);
  });

  it('rejects bad options where ffmpegSource() is called', () => {
    expect(() => ffmpegSource({ input: 'x.mp4', width: 16, height: 0 })).toThrow(new GeyserError('InvalidDescriptor', 'Expected integer between 1 and 16384 for height but received 0 of type number'));
    expect(() => ffmpegSource({ input: 'x.mp4', width: 16, height: 16, ...{ frame: 3 } })).toThrow("Unknown option 'frame' for ffmpegSource");
  });
});
