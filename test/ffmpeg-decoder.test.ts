import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GeyserError } from '../src/core/errors.js';
import { FfmpegDecoder } from '../src/nodes/ffmpeg/decoder.js';
import { locateFfmpeg } from '../src/nodes/ffmpeg/locate.js';
import { counts, settledCounts } from './ffmpeg-leaks.js';

const scratch = mkdtempSync(join(tmpdir(), 'geyser-decoder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const ffmpeg = locateFfmpeg().path;

/** What ffmpeg itself writes for the same input, as the reference. */
function reference(args: string[]): Buffer {
  return execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', ...args, '-pix_fmt', 'rgba', '-f', 'rawvideo', 'pipe:1'], { maxBuffer: 64 << 20 });
}

describe('FfmpegDecoder', () => {
  it('decodes a lavfi testsrc2 graph to exactly the RGBA bytes ffmpeg produces', async () => {
    const before = counts();
    const decoder = FfmpegDecoder.open({ input: 'testsrc2=size=128x72:rate=30', format: 'lavfi', width: 128, height: 72, frames: 15 });
    const frames: Uint8Array[] = [];
    for await (const frame of decoder) frames.push(frame);
    await decoder.close();
    expect(frames).toHaveLength(15);
    expect(decoder.frames).toBe(15);
    const expected = reference(['-f', 'lavfi', '-i', 'testsrc2=size=128x72:rate=30', '-frames:v', '15', '-vf', 'scale=128:72']);
    expect(Buffer.concat(frames).equals(expected)).toBe(true);
    expect(await settledCounts(before)).toEqual(before);
  });

  it('decodes an image sequence, scaling each image to the requested size, into one reused buffer', async () => {
    const dir = join(scratch, 'seq');
    mkdirSync(dir);
    execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10', '-frames:v', '6', join(dir, 'img-%03d.png')]);
    const decoder = FfmpegDecoder.open({ input: join(dir, 'img-%03d.png'), width: 32, height: 16 });
    const into = new Uint8Array(decoder.frameBytes);
    let count = 0;
    let got: Uint8Array | null;
    while ((got = await decoder.read(into)) !== null) {
      expect(got).toBe(into);
      count++;
    }
    await decoder.close();
    expect(count).toBe(6);
    expect(into[3]).toBe(255); // opaque alpha
  });

  it('stops an endless source at close() and leaves no process or fd behind', async () => {
    const before = counts();
    const decoder = FfmpegDecoder.open({ input: 'testsrc2=size=320x240:rate=30', format: 'lavfi', width: 320, height: 240 });
    expect(await decoder.read()).not.toBeNull();
    await decoder.close();
    await decoder.close(); // idempotent
    await expect(decoder.read()).rejects.toThrow(new GeyserError('Released', "decoder for 'testsrc2=size=320x240:rate=30' has been closed"));
    expect(await settledCounts(before)).toEqual(before);
  });

  it('reports an input ffmpeg cannot open as FfmpegFailed, naming it and quoting ffmpeg', async () => {
    const before = counts();
    const decoder = FfmpegDecoder.open({ input: join(scratch, 'missing.mp4'), width: 16, height: 16 });
    const error = (await decoder.read().catch((e: unknown) => e)) as GeyserError;
    expect(error).toBeInstanceOf(GeyserError);
    expect(error.code).toBe('FfmpegFailed');
    expect(error.message).toBe(`ffmpeg (pid ${decoder.pid}) exited with code 1 while decoding '${join(scratch, 'missing.mp4')}' after 0 frames; last stderr lines:\n  ${join(scratch, 'missing.mp4')}: No such file or directory`);
    await decoder.close();
    expect(await settledCounts(before)).toEqual(before);
  });

  it.each([
    [{ width: 0 }, 'Expected integer between 1 and 16384 for width but received 0 of type number'],
    [{ frames: 1.5 }, 'Expected integer between 1 and 2147483647 for frames but received 1.5 of type number'],
    [{ input: 7 }, 'Expected non-empty string for input but received 7 of type number'],
    [{ format: 'lavfi graph' }, "Expected an ffmpeg format name for format but received 'lavfi graph' of type string"],
    [{ inputOptions: '-re' }, "Expected an array of strings for inputOptions but received '-re' of type string"],
  ])('rejects %o with a message naming the field', (bad, message) => {
    expect(() => FfmpegDecoder.open({ input: 'x.mp4', width: 16, height: 16, ...bad } as never)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});

describe('FfmpegDecoder backpressure', () => {
  it('lets ffmpeg run only a few frames ahead of a consumer that stopped reading, and still closes', async () => {
    const before = counts();
    const decoder = FfmpegDecoder.open({ input: 'testsrc2=size=320x240:rate=30', format: 'lavfi', width: 320, height: 240 });
    expect(await decoder.read()).not.toBeNull();
    // Stop reading: an unthrottled ffmpeg would write hundreds of frames (testsrc2 is not real-time).
    await new Promise((resolve) => setTimeout(resolve, 700));
    const written = Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${decoder.pid}/io`, 'utf8'))![1]);
    // One frame read, two queued in Node, what the pipe holds, a little stderr: under 6 frames.
    expect(written).toBeGreaterThan(decoder.frameBytes);
    expect(written).toBeLessThan(6 * decoder.frameBytes);
    await decoder.close(); // with stdout paused: must not hang
    expect(await settledCounts(before)).toEqual(before);
  });
});
