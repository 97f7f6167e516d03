// The encode() sink inside real pipelines on the host backend: output checked with ffprobe and by
// decoding it back, every error path through `run.done`, fds and child processes counted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineSource, encode, FfmpegDecoder, ffmpegSource, GeyserError, pipeline, probeVideo, type EncoderProgress, type EncodeResult } from '../src/index.js';
import { childPids, expectSettledPerTest } from './ffmpeg-leaks.js';

const scratch = mkdtempSync(join(tmpdir(), 'geyser-encode-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

expectSettledPerTest();

const W = 320;
const H = 180;
const testsrc = (frames: number) => ffmpegSource({ input: `testsrc2=size=${W}x${H}:rate=30`, format: 'lavfi', width: W, height: H, frames, fps: 30 });

/** A source of `frames` flat gray frames that then fails with `error` (if given). */
function grayThenFail(frames: number, error?: Error, format: 'rgba8unorm' | 'r8unorm' = 'rgba8unorm') {
  return defineSource('gray', async (scope) => {
    const { manager } = scope.context;
    for (let seq = 0; seq < frames && !scope.closed; seq++) {
      const frame = await scope.acquireFrame({ width: W, height: H, format }, { seq });
      manager.mapTexture!(frame.texture).fill(40 + seq * 10);
      scope.emit(frame);
    }
    // Let the sink take what was emitted before failing.
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (error) throw error;
  });
}

async function rejection(promise: Promise<unknown>): Promise<GeyserError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as GeyserError,
  );
}

describe('encode', () => {
  it('encodes a decoded testsrc2 to an H.264 MP4 whose frame count, size and codec ffprobe confirms, with progress', async () => {
    const output = join(scratch, 'testsrc.mp4');
    const progress: EncoderProgress[] = [];
    let result: EncodeResult | undefined;
    await pipeline(testsrc(45), encode({ output, fps: 30, onProgress: (p) => progress.push(p), onFinish: (r) => (result = r) }), { backend: 'host' }).done;
    expect(await probeVideo(output)).toMatchObject({ codec: 'h264', width: W, height: H, pixelFormat: 'yuv420p', frames: 45 });
    expect(result).toMatchObject({ output, frames: 45, width: W, height: H, codec: 'libx264' });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.frames).toBe(45);

    // The pictures survive: decode the file and compare with ffmpeg's own testsrc2.
    const encoded = FfmpegDecoder.open({ input: output, width: W, height: H });
    const reference = FfmpegDecoder.open({ input: `testsrc2=size=${W}x${H}:rate=30`, format: 'lavfi', width: W, height: H, frames: 45 });
    let diff = 0;
    let samples = 0;
    for (let i = 0; i < 45; i++) {
      const a = (await encoded.read())!;
      const b = (await reference.read())!;
      for (let p = 0; p < a.length; p += 4) for (let c = 0; c < 3; c++, samples++) diff += Math.abs(a[p + c]! - b[p + c]!);
    }
    expect(await encoded.read()).toBeNull();
    await Promise.all([encoded.close(), reference.close()]);
    expect(diff / samples).toBeLessThan(4);
  });

  it('finalizes a playable file with every frame already encoded when the pipeline fails upstream', async () => {
    const output = join(scratch, 'upstream-failure.mp4');
    const upstream = new Error('camera unplugged');
    const run = pipeline(grayThenFail(17, upstream), encode({ output, fps: 25 }), { backend: 'host' });
    expect(await rejection(run.done)).toBe(upstream);
    // done settled only after ffmpeg wrote the trailer: the file is complete now.
    expect(await probeVideo(output)).toMatchObject({ codec: 'h264', frames: 17, width: W, height: H });
  });

  it('finalizes a playable file when the pipeline is stopped mid-stream', async () => {
    const output = join(scratch, 'stopped.mp4');
    let taken = 0;
    const run = pipeline(testsrc(100_000), encode({ output, fps: 30, onProgress: (p) => (taken = p.frames) }), { backend: 'host' });
    const ended = run.done.then(() => 'completed', (error: unknown) => error);
    while (taken < 10) {
      const early = await Promise.race([ended, new Promise((resolve) => setTimeout(() => resolve(undefined), 20))]);
      if (early !== undefined) throw new Error(`the pipeline ended early: ${String(early)}`);
    }
    await run.stop();
    const probe = await probeVideo(output);
    expect(probe.codec).toBe('h264');
    expect(probe.frames).toBeGreaterThanOrEqual(10);
  });

  it('fails with FfmpegFailed naming the signal and ffmpeg stderr when ffmpeg is killed mid-stream', async () => {
    const output = join(scratch, 'killed.mp4');
    let killed = false;
    const run = pipeline(
      testsrc(100_000),
      encode({
        output,
        fps: 30,
        onProgress: () => {
          if (killed) return;
          killed = true;
          // the encoder's ffmpeg is our child running libx264
          for (const pid of childPids()) if (cmdline(pid).includes('libx264')) process.kill(pid, 'SIGKILL');
        },
      }),
      { backend: 'host' },
    );
    const error = await rejection(run.done);
    expect(killed).toBe(true);
    expect(error).toBeInstanceOf(GeyserError);
    expect(error.code).toBe('FfmpegFailed');
    expect(error.message).toMatch(new RegExp(`^ffmpeg \\(pid \\d+\\) was killed by SIGKILL mid-stream while encoding '${output}' after \\d+ frames; last stderr lines:\\n`));
  });

  it('fails naming the output path when it cannot be written', async () => {
    const output = join(scratch, 'missing-dir', 'out.mp4');
    const error = await rejection(pipeline(grayThenFail(3), encode({ output, fps: 25 }), { backend: 'host' }).done);
    expect(error).toMatchObject({ code: 'InvalidDescriptor', message: `Cannot write the encoder output '${output}': directory '${join(scratch, 'missing-dir')}' does not exist` });
  });

  it('fails with FfmpegNotFound when the ffmpeg it is pointed at does not exist', async () => {
    const error = await rejection(pipeline(grayThenFail(3), encode({ output: join(scratch, 'x.mp4'), fps: 25, ffmpegPath: '/nonexistent/ffmpeg' }), { backend: 'host' }).done);
    expect(error).toMatchObject({ code: 'FfmpegNotFound', message: 'ffmpeg was not found at ffmpegPath: /nonexistent/ffmpeg does not exist' });
  });

  it('refuses frames that are not RGBA8, naming the node and the format', async () => {
    const error = await rejection(pipeline(grayThenFail(3, undefined, 'r8unorm'), encode({ output: join(scratch, 'r8.mp4'), fps: 25 }), { backend: 'host' }).done);
    expect(error).toMatchObject({ code: 'FormatNotSupported', message: "node 'encode' encodes rgba8unorm frames, but frame 0 is r8unorm" });
  });

  it('rejects bad options where encode() is called', () => {
    expect(() => encode({ output: 'x.mp4', fps: -1 })).toThrow(new GeyserError('InvalidDescriptor', 'Expected number above 0 and at most 1000 for fps but received -1 of type number'));
    expect(() => encode({ output: 'x.mp4', fps: 30, ...{ presett: 'fast' } })).toThrow("Unknown option 'presett' for encode");
  });
});

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
