/**
 * `FfmpegDecoder`: any input ffmpeg can open (a file, an image sequence, a lavfi graph such as
 * `testsrc2`, a capture device) decoded to raw RGBA frames of a fixed size.
 *
 * ffmpeg's stdout is read with backpressure: at most two frames' worth of bytes wait in Node
 * before the pipe is paused, so a slow consumer slows ffmpeg instead of filling memory.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { GeyserError } from '../../core/errors.js';
import { expectedMessage } from '../../core/validate.js';
import { stderrTail } from './backend.js';
import { decoderArgs, resolveDecodeOptions, type DecodeOptions, type ResolvedDecodeOptions } from './decode-options.js';
import { ffmpegFailure } from './failure.js';
import { locateFfmpeg, notExecutable } from './locate.js';

/**
 * One ffmpeg process decoding an input to raw RGBA frames.
 *
 * @example
 * ```ts
 * import { FfmpegDecoder } from 'geyser';
 * const decoder = FfmpegDecoder.open({ input: 'testsrc2=size=320x240:rate=30', format: 'lavfi', width: 320, height: 240, frames: 30 });
 * const frame = new Uint8Array(decoder.frameBytes);
 * while (await decoder.read(frame)) console.log(frame[0]);
 * decoder.close();
 * ```
 */
export class FfmpegDecoder {
  /** Width of each frame. */
  readonly width: number;
  /** Height of each frame. */
  readonly height: number;
  /** Bytes in one RGBA frame (`width * height * 4`). */
  readonly frameBytes: number;
  /** ffmpeg's process id. */
  readonly pid: number | undefined;

  readonly #child: ChildProcess;
  readonly #input: string;
  #chunks: Buffer[] = [];
  #queued = 0;
  #ended = false;
  #closed = false;
  #frames = 0;
  #stderr = '';
  #wake: (() => void) | undefined;
  readonly #exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>;

  private constructor(options: ResolvedDecodeOptions, ffmpegPath: string) {
    this.width = options.width;
    this.height = options.height;
    this.frameBytes = options.width * options.height * 4;
    this.#input = options.input;
    this.#child = spawn(ffmpegPath, decoderArgs(options), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.#child.pid;
    this.#exited = new Promise((resolve) => {
      this.#child.once('error', (spawnError) => resolve({ code: null, signal: null, spawnError }));
      this.#child.once('close', (code, signal) => resolve({ code, signal }));
    });
    const stdout = this.#child.stdout!;
    stdout.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#queued += chunk.length;
      // Backpressure: two frames waiting is enough to keep the consumer busy.
      if (this.#queued >= 2 * this.frameBytes) stdout.pause();
      this.#notify();
    });
    stdout.once('end', () => {
      this.#ended = true;
      this.#notify();
    });
    this.#child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      // Only the tail matters (for error messages): keep it bounded.
      this.#stderr = (this.#stderr + text).slice(-16_384);
    });
  }

  /**
   * Starts ffmpeg on an input.
   *
   * @param options - input, format, output size and frame count (see {@link DecodeOptions})
   * @throws {@link GeyserError} `InvalidDescriptor` for a bad option; `FfmpegNotFound` without ffmpeg
   */
  static open(options: DecodeOptions): FfmpegDecoder {
    const resolved = resolveDecodeOptions(options, 'FfmpegDecoder.open');
    let ffmpegPath: string;
    if (resolved.ffmpegPath === undefined) ffmpegPath = locateFfmpeg().path;
    else {
      const why = notExecutable(resolved.ffmpegPath);
      if (why !== undefined) throw new GeyserError('FfmpegNotFound', `ffmpeg was not found at ffmpegPath: ${why}`);
      ffmpegPath = resolved.ffmpegPath;
    }
    return new FfmpegDecoder(resolved, ffmpegPath);
  }

  /** Frames read so far. */
  get frames(): number {
    return this.#frames;
  }

  /**
   * Reads the next frame into `into` (or a new buffer): `width * height * 4` bytes of RGBA,
   * rows tightly packed. Resolves with the filled buffer, or null once the input has ended.
   *
   * @param into - where to put the frame; default: a new Uint8Array
   * @throws {@link GeyserError} `FfmpegFailed` when ffmpeg fails (naming the input, the exit code
   *   and its last stderr lines); `Released` after close
   */
  async read(into: Uint8Array = new Uint8Array(this.frameBytes)): Promise<Uint8Array | null> {
    if (this.#closed) throw new GeyserError('Released', `decoder for '${this.#input}' has been closed`);
    if (into.byteLength < this.frameBytes) throw new GeyserError('InvalidDescriptor', expectedMessage(`a Uint8Array of at least ${this.frameBytes} bytes`, 'into', `${into.byteLength} bytes`));
    while (this.#queued < this.frameBytes && !this.#ended) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      if (this.#closed) throw new GeyserError('Released', `decoder for '${this.#input}' has been closed`);
    }
    if (this.#queued < this.frameBytes) {
      const exit = await this.#exited;
      if (exit.spawnError || exit.code !== 0) {
        throw ffmpegFailure({ code: exit.code, signal: exit.signal, stderrTail: stderrTail(this.#stderr), startError: exit.spawnError }, this.pid, `while decoding '${this.#input}' after ${this.#frames} frames`);
      }
      return null;
    }
    this.#take(into);
    this.#frames++;
    return into;
  }

  /** Copies one frame's bytes off the front of the chunk queue. */
  #take(into: Uint8Array): void {
    let filled = 0;
    while (filled < this.frameBytes) {
      const chunk = this.#chunks[0]!;
      const n = Math.min(chunk.length, this.frameBytes - filled);
      into.set(n === chunk.length ? chunk : chunk.subarray(0, n), filled);
      filled += n;
      if (n === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(n);
    }
    this.#queued -= this.frameBytes;
    if (this.#queued < 2 * this.frameBytes) this.#child.stdout!.resume();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Yields frames (each a new buffer) until the input ends. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const frame = await this.read();
      if (frame === null) return;
      yield frame;
    }
  }

  /**
   * Stops ffmpeg (if still running) and waits for it to exit. Idempotent.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
      // A paused stdout (backpressure) never ends, and the process's 'close' waits for it: drop it.
      this.#child.stdout?.destroy();
      this.#chunks = [];
      this.#queued = 0;
      this.#notify();
    }
    await this.#exited;
  }

  /** Same as {@link FfmpegDecoder.close}. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
