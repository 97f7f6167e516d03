/**
 * Renders the encode benchmark's source frames once per run with ffmpeg's `testsrc2` (moving
 * pattern, gradients, text: content an encoder has to work on, unlike a flat fill), as RGBA and
 * as yuv420p, so every contender encodes the same pictures.
 *
 * @internal
 * @module
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Distinct frames in two pixel formats. */
export interface RenderedFrames {
  rgba: Uint8Array[];
  yuv420p: Uint8Array[];
}

/** Splits a file of back-to-back frames into one view per frame. */
function split(bytes: Uint8Array, frameBytes: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset + frameBytes <= bytes.length; offset += frameBytes) frames.push(bytes.subarray(offset, offset + frameBytes));
  return frames;
}

/**
 * Renders `count` distinct frames of `testsrc2` in RGBA and yuv420p.
 *
 * @example
 * ```ts
 * const { rgba, yuv420p } = await renderTestFrames(ffmpeg, 1920, 1080, 10, tmpDir);
 * ```
 * @throws Error when ffmpeg fails or returns fewer frames
 */
export async function renderTestFrames(ffmpeg: string, width: number, height: number, count: number, dir: string): Promise<RenderedFrames> {
  const out: Partial<RenderedFrames> = {};
  for (const [format, key, frameBytes] of [
    ['rgba', 'rgba', width * height * 4],
    ['yuv420p', 'yuv420p', width * height + 2 * (width / 2) * (height / 2)],
  ] as const) {
    const path = join(dir, `frames.${format}`);
    await run(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=30`, '-frames:v', String(count), '-f', 'rawvideo', '-pix_fmt', format, '-y', path]);
    const frames = split(new Uint8Array(await readFile(path)), frameBytes);
    if (frames.length !== count) throw new Error(`ffmpeg rendered ${frames.length} ${format} frames, expected ${count}`);
    out[key] = frames;
  }
  return out as RenderedFrames;
}
