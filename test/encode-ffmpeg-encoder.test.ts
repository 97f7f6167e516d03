import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GeyserError } from '../src/core/errors.js';
import { FfmpegDecoder } from '../src/nodes/ffmpeg/decoder.js';
import { FfmpegEncoder } from '../src/nodes/ffmpeg/encoder.js';
import { probeVideo } from '../src/nodes/ffmpeg/probe.js';
import { counts, settledCounts } from './ffmpeg-leaks.js';

const scratch = mkdtempSync(join(tmpdir(), 'geyser-encoder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const W = 160;
const H = 96;

/** Frame `i` is a flat gray whose luma steps by 20 per frame, so frame order is visible after decoding. */
function lumaOf(i: number): number {
  return 16 + ((i * 20) % 220);
}

function fillFrame(buffer: Uint8Array, i: number): void {
  buffer.fill(lumaOf(i), 0, W * H);
  buffer.fill(128, W * H); // neutral chroma: gray
}

async function encodeFrames(output: string, frames: number, options: Partial<Parameters<typeof FfmpegEncoder.open>[0]> = {}): Promise<FfmpegEncoder> {
  const encoder = await FfmpegEncoder.open({ output, width: W, height: H, fps: 25, preset: 'ultrafast', crf: 10, ...options });
  for (let i = 0; i < frames; i++) {
    const buffer = await encoder.nextBuffer();
    fillFrame(buffer, i);
    encoder.submit(buffer);
  }
  return encoder;
}

describe('FfmpegEncoder', () => {
  it.each(['socket', 'stdin'] as const)('encodes every frame, in order, to a playable H.264 MP4 through %s', async (transport) => {
    const before = counts();
    const output = join(scratch, `order-${transport}.mp4`);
    const encoder = await encodeFrames(output, 12, { transport });
    const result = await encoder.finish();
    expect(result).toMatchObject({ output, frames: 12, width: W, height: H, fps: 25, codec: 'libx264' });
    expect(await probeVideo(output)).toMatchObject({ codec: 'h264', width: W, height: H, pixelFormat: 'yuv420p', frames: 12 });

    // Decode it back: each frame's gray level is the one written (within the codec's rounding).
    const decoder = FfmpegDecoder.open({ input: output, width: W, height: H });
    const seen: number[] = [];
    for await (const rgba of decoder) seen.push(rgba[(H / 2) * W * 4 + (W / 2) * 4]!);
    await decoder.close();
    expect(seen).toHaveLength(12);
    // limited-range luma Y maps to full-range RGB (Y-16)*255/219
    seen.forEach((value, i) => expect(Math.abs(value - ((lumaOf(i) - 16) * 255) / 219)).toBeLessThanOrEqual(3));
    expect(await settledCounts(before)).toEqual(before);
  });

  it('never holds more than maxQueuedFrames buffers, and waits while ffmpeg is stopped', async () => {
    const before = counts();
    const encoder = await encodeFrames(join(scratch, 'backpressure.mp4'), 4, { maxQueuedFrames: 2 });
    process.kill(encoder.pid, 'SIGSTOP');
    try {
      // Fill the kernel's socket buffer and the ring: a later nextBuffer() must wait.
      let waiting = false;
      for (let i = 4; i < 200 && !waiting; i++) {
        const next = encoder.nextBuffer();
        const winner = await Promise.race([next, new Promise((resolve) => setTimeout(() => resolve('waiting'), 200))]);
        if (winner === 'waiting') {
          waiting = true;
          process.kill(encoder.pid, 'SIGCONT');
          const buffer = await next; // resumes once ffmpeg reads again
          fillFrame(buffer, i);
          encoder.submit(buffer);
        } else {
          fillFrame(winner as Uint8Array, i);
          encoder.submit(winner as Uint8Array);
        }
      }
      expect(waiting).toBe(true);
    } finally {
      process.kill(encoder.pid, 'SIGCONT');
    }
    expect(encoder.buffersAllocated).toBe(2);
    const result = await encoder.finish();
    expect((await probeVideo(result.output)).frames).toBe(result.frames);
    expect(await settledCounts(before)).toEqual(before);
  });

  it('finish() is idempotent and using the encoder afterwards throws Released', async () => {
    const encoder = await encodeFrames(join(scratch, 'idempotent.mp4'), 2);
    const first = encoder.finish();
    expect(encoder.finish()).toBe(first);
    await first;
    const message = `encoder for '${join(scratch, 'idempotent.mp4')}' has finished`;
    await expect(encoder.nextBuffer()).rejects.toThrow(new GeyserError('Released', message));
    expect(() => encoder.submit(new Uint8Array(1))).toThrow(new GeyserError('Released', message));
    await encoder[Symbol.asyncDispose](); // disposing a finished encoder is a no-op
    expect((await probeVideo(join(scratch, 'idempotent.mp4'))).frames).toBe(2);
  });

  it('write() copies a frame and rejects one of the wrong size naming the field', async () => {
    const encoder = await FfmpegEncoder.open({ output: join(scratch, 'write.mp4'), width: W, height: H, fps: 25 });
    await expect(encoder.write(new Uint8Array(10))).rejects.toThrow(
      new GeyserError('InvalidDescriptor', `Expected a Uint8Array of ${W * H * 1.5} bytes (${W}x${H} yuv420p) for frame but received '10 bytes' of type string`),
    );
    await encoder.write(new Uint8Array(W * H * 1.5).fill(100));
    expect((await encoder.finish()).frames).toBe(1);
  });
});

describe('FfmpegEncoder.writeShared', () => {
  it('writes caller-owned frames without copying, several in flight, in order', async () => {
    const before = counts();
    const output = join(scratch, 'shared.mp4');
    const encoder = await FfmpegEncoder.open({ output, width: W, height: H, fps: 25, preset: 'ultrafast', crf: 10, maxQueuedFrames: 2 });
    const frames = Array.from({ length: 10 }, (_, i) => {
      const frame = new Uint8Array(encoder.frameBytes);
      fillFrame(frame, i);
      return frame;
    });
    const pending: Promise<void>[] = [];
    for (const frame of frames) {
      pending.push(encoder.writeShared(frame));
      if (pending.length >= 3) await pending.shift();
    }
    await Promise.all(pending);
    expect(encoder.buffersAllocated).toBe(0); // nothing copied into the ring
    await expect(encoder.writeShared(new Uint8Array(3))).rejects.toThrow(`Expected a Uint8Array of ${encoder.frameBytes} bytes (${W}x${H} yuv420p) for frame but received '3 bytes' of type string`);
    expect((await encoder.finish()).frames).toBe(10);
    const decoder = FfmpegDecoder.open({ input: output, width: W, height: H });
    let i = 0;
    for await (const rgba of decoder) expect(Math.abs(rgba[0]! - ((lumaOf(i++) - 16) * 255) / 219)).toBeLessThanOrEqual(3);
    await decoder.close();
    expect(i).toBe(10);
    expect(await settledCounts(before)).toEqual(before);
  });
});

describe('FfmpegEncoder errors', () => {
  it.each([
    [{ fps: 0 }, 'Expected number above 0 and at most 1000 for fps but received 0 of type number'],
    [{ width: 161 }, 'Expected even integer between 2 and 16384 for width but received 161 of type number'],
    [{ height: -4 }, 'Expected even integer between 2 and 16384 for height but received -4 of type number'],
    [{ crf: 70 }, 'Expected number between 0 and 63 for crf but received 70 of type number'],
    [{ bitrate: 'fast' }, "Expected positive integer (bits/s) or a string like '4M' or '800k' for bitrate but received 'fast' of type string"],
    [{ codec: 'lib x264' }, "Expected a word of letters, digits, _ . , - for codec but received 'lib x264' of type string"],
    [{ transport: 'tcp' }, "Expected 'socket' or 'stdin' for transport but received 'tcp' of type string"],
    [{ maxQueuedFrames: 0 }, 'Expected integer between 1 and 16 for maxQueuedFrames but received 0 of type number'],
    [{ output: '' }, "Expected non-empty string for output but received '' of type string"],
  ])('rejects %o with a message naming the field', async (bad, message) => {
    const options = { output: join(scratch, 'bad.mp4'), width: W, height: H, fps: 25, ...bad };
    await expect(FfmpegEncoder.open(options as never)).rejects.toThrow(new GeyserError('InvalidDescriptor', message));
  });

  it('catches misspelled option keys', async () => {
    await expect(FfmpegEncoder.open({ output: join(scratch, 'x.mp4'), width: W, height: H, fps: 25, ...{ bitrat: '1M' } })).rejects.toThrow("Unknown option 'bitrat' for encode");
  });

  it('names an output path in a directory that does not exist, before starting ffmpeg', async () => {
    const before = counts();
    const output = join(scratch, 'no-such-dir', 'out.mp4');
    await expect(FfmpegEncoder.open({ output, width: W, height: H, fps: 25 })).rejects.toMatchObject({
      code: 'InvalidDescriptor',
      detail: 'ENOENT',
      message: `Cannot write the encoder output '${output}': directory '${join(scratch, 'no-such-dir')}' does not exist`,
    });
    await expect(FfmpegEncoder.open({ output: scratch, width: W, height: H, fps: 25 })).rejects.toThrow(`Cannot write the encoder output '${scratch}': it is a directory`);
    expect(await settledCounts(before)).toEqual(before);
  });

  it('throws FfmpegNotFound for an ffmpegPath that does not exist', async () => {
    await expect(FfmpegEncoder.open({ output: join(scratch, 'x.mp4'), width: W, height: H, fps: 25, ffmpegPath: '/nonexistent/ffmpeg' })).rejects.toThrow(
      new GeyserError('FfmpegNotFound', 'ffmpeg was not found at ffmpegPath: /nonexistent/ffmpeg does not exist'),
    );
  });

  it('throws FfmpegFailed when the codec is not in this ffmpeg build, leaving nothing behind', async () => {
    const before = counts();
    const error = await FfmpegEncoder.open({ output: join(scratch, 'x.mp4'), width: W, height: H, fps: 25, codec: 'libnosuchcodec' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeyserError);
    expect((error as GeyserError).code).toBe('FfmpegFailed');
    expect((error as GeyserError).message).toMatch(/^ffmpeg could not start: Video codec libnosuchcodec is not available before encoding '.*x\.mp4'/);
    expect(await settledCounts(before)).toEqual(before);
  });

  it('reports ffmpeg killed mid-stream with its signal and last stderr lines', async () => {
    const before = counts();
    const output = join(scratch, 'killed.mp4');
    const encoder = await encodeFrames(output, 5);
    // Kill it once it is really encoding (its first progress report), not while it starts up.
    let reported = false;
    encoder.progress$.subscribe(() => {
      if (!reported) process.kill(encoder.pid, 'SIGKILL');
      reported = true;
    });
    // The failure surfaces on the next call that needs ffmpeg.
    const error = await (async () => {
      for (let i = 5; i < 10_000; i++) {
        const buffer = await encoder.nextBuffer();
        fillFrame(buffer, i);
        encoder.submit(buffer);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return undefined;
    })().catch((e: unknown) => e as GeyserError);
    expect(reported).toBe(true);
    expect(error).toBeInstanceOf(GeyserError);
    expect(error!.code).toBe('FfmpegFailed');
    expect(error!.detail).toBe('SIGKILL');
    expect(error!.message).toMatch(new RegExp(`^ffmpeg \\(pid ${encoder.pid}\\) was killed by SIGKILL mid-stream while encoding '${output}' after \\d+ frames; last stderr lines:\\n  `));
    expect(error!.message).toContain("Output #0, mp4, to '" + output);
    await expect(encoder.finish()).rejects.toBe(error);
    expect(await settledCounts(before)).toEqual(before);
  });

  it('reports ffmpeg exiting with an error code mid-stream (a full disk), quoting its stderr', async () => {
    const before = counts();
    const encoder = await FfmpegEncoder.open({ output: '/dev/full', container: 'matroska', width: W, height: H, fps: 25 });
    const error = await (async () => {
      for (let i = 0; i < 1000; i++) await encoder.write(new Uint8Array(encoder.frameBytes));
      return encoder.finish();
    })().catch((e: unknown) => e as GeyserError);
    expect(error).toBeInstanceOf(GeyserError);
    expect((error as GeyserError).code).toBe('FfmpegFailed');
    expect((error as GeyserError).message).toMatch(/^ffmpeg \(pid \d+\) exited with code 1 mid-stream while encoding '\/dev\/full' after \d+ frames; last stderr lines:\n/);
    expect((error as GeyserError).message).toContain('No space left on device');
    expect(await settledCounts(before)).toEqual(before);
  });

  it('leaves a file with every submitted frame when the producer stops early and finishes', async () => {
    const output = join(scratch, 'partial.mp4');
    const encoder = await encodeFrames(output, 7);
    await encoder.finish();
    expect(statSync(output).size).toBeGreaterThan(0);
    expect((await probeVideo(output)).frames).toBe(7);
  });
});
