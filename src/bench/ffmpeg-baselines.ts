/**
 * The encode benchmark's baselines, both plain ffmpeg runs timed from spawn to the finished file:
 * ffmpeg alone encoding raw yuv420p frames from a file (the ceiling: nothing feeds it but the disk
 * cache), and the common Node approach of writing RGBA frames to ffmpeg's stdin (ffmpeg converts).
 *
 * @internal
 * @module
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';
import { microsSince } from './timing.js';

/** The encoder settings every contender uses. */
export interface EncodeSettings {
  ffmpeg: string;
  width: number;
  height: number;
  fps: number;
  /** x264 preset, e.g. `'ultrafast'`. */
  preset: string;
}

/** What one encode run measured. */
export interface EncodeRun {
  frames: number;
  micros: number;
}

/**
 * Output arguments shared by every contender, so they differ only in how frames reach ffmpeg.
 *
 * @example
 * ```ts
 * x264OutputArgs(settings, 'out.mp4'); // ['-c:v', 'libx264', '-preset', 'ultrafast', ...]
 * ```
 */
export function x264OutputArgs(settings: EncodeSettings, output: string): string[] {
  return ['-c:v', 'libx264', '-preset', settings.preset, '-pix_fmt', 'yuv420p', '-f', 'mp4', '-y', output];
}

/** Runs ffmpeg to the end; rejects with its last stderr lines when it fails. */
async function runFfmpeg(ffmpeg: string, args: string[], feed?: (stdin: NodeJS.WritableStream, exit: Promise<unknown>) => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: [feed ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  if (feed) {
    child.stdin!.on('error', () => {}); // EPIPE when ffmpeg dies; the exit status says why
    await feed(child.stdin!, exit);
  }
  const [code, signal] = await exit;
  if (code !== 0) throw new Error(`ffmpeg ${signal ?? `exited with code ${code}`}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return microsSince(start);
}

/**
 * Writes `frames` yuv420p frames, cycling through `distinct`, to a raw file for the ceiling run.
 *
 * @example
 * ```ts
 * writeRawFrames('/tmp/in.yuv', yuvFrames, 600);
 * ```
 */
export function writeRawFrames(path: string, distinct: readonly Uint8Array[], frames: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < frames; i++) writeSync(fd, distinct[i % distinct.length]!);
  } finally {
    closeSync(fd);
  }
}

/**
 * ffmpeg alone, encoding a raw yuv420p file (the ceiling).
 *
 * @example
 * ```ts
 * writeRawFrames('/tmp/in.yuv', yuvFrames, 300);
 * const { micros } = await encodeFromFile(settings, '/tmp/in.yuv', 300, '/tmp/out.mp4');
 * ```
 */
export async function encodeFromFile(settings: EncodeSettings, input: string, frames: number, output: string): Promise<EncodeRun> {
  const micros = await runFfmpeg(settings.ffmpeg, [
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${settings.width}x${settings.height}`, '-r', String(settings.fps), '-i', input,
    ...x264OutputArgs(settings, output),
  ]);
  return { frames, micros };
}

/**
 * The common Node approach: RGBA frames written to ffmpeg's stdin (honouring backpressure), and
 * ffmpeg converting to yuv420p itself.
 *
 * @example
 * ```ts
 * const { micros } = await encodeRgbaFromStdin(settings, rgbaFrames, 300, '/tmp/out.mp4');
 * ```
 */
export async function encodeRgbaFromStdin(settings: EncodeSettings, distinct: readonly Uint8Array[], frames: number, output: string): Promise<EncodeRun> {
  const micros = await runFfmpeg(
    settings.ffmpeg,
    ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${settings.width}x${settings.height}`, '-r', String(settings.fps), '-i', 'pipe:0', ...x264OutputArgs(settings, output)],
    async (stdin, exit) => {
      let ended = false;
      void exit.then(() => (ended = true));
      for (let i = 0; i < frames && !ended; i++) {
        // A dead ffmpeg never drains: stop feeding then, and let its exit status explain.
        if (!stdin.write(distinct[i % distinct.length]!)) await Promise.race([once(stdin, 'drain'), exit]);
      }
      stdin.end();
    },
  );
  return { frames, micros };
}
