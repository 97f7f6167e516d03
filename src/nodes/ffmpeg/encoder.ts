/**
 * `FfmpegEncoder`: raw yuv420p frames in, an encoded video file out, through one ffmpeg process.
 *
 * The encoder owns a small ring of frame buffers (`maxQueuedFrames`). A producer takes a free one
 * with {@link FfmpegEncoder.nextBuffer} (which waits while all are in flight: that wait *is* the
 * backpressure), fills it (a color converter can write straight into it), and hands it back with
 * {@link FfmpegEncoder.submit}; it becomes free again once the kernel has taken its bytes. So
 * nothing buffers without bound and, after the ring is allocated, nothing is allocated per frame.
 *
 * @module
 */
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { Subject, type Observable } from 'rxjs';
import { GeyserError } from '../../core/errors.js';
import { expectedMessage } from '../../core/validate.js';
import type { EncoderExit, EncoderProgress, RunningEncoder } from './backend.js';
import { checkEvenDimension, checkOutputWritable, resolveEncodeOptions, type EncoderOpenOptions, type ResolvedEncodeOptions } from './encode-options.js';
import { locateFfmpeg, notExecutable } from './locate.js';
import { ffmpegFailure } from './failure.js';
import { OneShotSocket } from './unix-socket.js';

/** What an encoder wrote, once it finished. */
export interface EncodeResult {
  /** The output file's absolute path. */
  readonly output: string;
  /** Frames handed to ffmpeg. */
  readonly frames: number;
  /** Frame size. */
  readonly width: number;
  readonly height: number;
  /** Output frames per second. */
  readonly fps: number;
  /** Codec used. */
  readonly codec: string;
  /** Wall time from open to finish, in milliseconds. */
  readonly elapsedMs: number;
}

/**
 * Bytes in one yuv420p frame: a full-size Y plane and quarter-size U and V planes.
 *
 * @example
 * ```ts
 * yuv420pFrameBytes(1920, 1080); // 3110400 (12 bits per pixel)
 * ```
 * @param width - frame width in pixels
 * @param height - frame height in pixels
 */
export function yuv420pFrameBytes(width: number, height: number): number {
  return width * height + 2 * (Math.ceil(width / 2) * Math.ceil(height / 2));
}

/**
 * One ffmpeg encoding process fed raw yuv420p frames.
 *
 * @example
 * ```ts
 * import { FfmpegEncoder } from 'geyser';
 * const encoder = await FfmpegEncoder.open({ output: 'out.mp4', width: 640, height: 360, fps: 30 });
 * for (let i = 0; i < 90; i++) {
 *   const buffer = await encoder.nextBuffer(); // waits while ffmpeg is behind
 *   fillYuv420p(buffer, i);
 *   encoder.submit(buffer);
 * }
 * const result = await encoder.finish(); // { output, frames: 90, ... }
 * ```
 */
export class FfmpegEncoder {
  /** Frame width. */
  readonly width: number;
  /** Frame height. */
  readonly height: number;
  /** Bytes in one raw yuv420p frame. */
  readonly frameBytes: number;
  /** The validated options. */
  readonly options: ResolvedEncodeOptions;
  /** ffmpeg's progress reports (completes when the encoder ends). */
  readonly progress$: Observable<EncoderProgress>;
  /** ffmpeg's process id. */
  readonly pid: number;

  readonly #running: RunningEncoder;
  readonly #input: Writable;
  readonly #socket: OneShotSocket | undefined;
  readonly #progress = new Subject<EncoderProgress>();
  readonly #free: Uint8Array[] = [];
  readonly #owned = new Set<Uint8Array>();
  /** Frames that may still be handed out or written: `maxQueuedFrames` minus those in flight. */
  #slots: number;
  #waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  #allocated = 0;
  #frames = 0;
  #failure: GeyserError | undefined;
  #finishing: Promise<EncodeResult> | undefined;
  readonly #startedAt: number;

  private constructor(init: { width: number; height: number; options: ResolvedEncodeOptions; running: RunningEncoder; pid: number; input: Writable; socket: OneShotSocket | undefined; startedAt: number }) {
    this.width = init.width;
    this.height = init.height;
    this.frameBytes = yuv420pFrameBytes(init.width, init.height);
    this.options = init.options;
    this.#slots = init.options.maxQueuedFrames;
    this.pid = init.pid;
    this.#running = init.running;
    this.#input = init.input;
    this.#socket = init.socket;
    this.#startedAt = init.startedAt;
    this.progress$ = this.#progress.asObservable();
    init.running.onProgress((progress) => this.#progress.next(progress));
    // A write error (EPIPE) means ffmpeg went away; the exit tells why.
    this.#input.on('error', () => {});
    void init.running.exited.then((exit) => this.#onExit(exit));
  }

  /**
   * Starts ffmpeg and connects to it.
   *
   * @param options - output, fps, codec and the rest (see {@link EncodeOptions}), plus the frame size
   * @returns an encoder ready for frames
   * @throws {@link GeyserError} `InvalidDescriptor` for a bad option or an output path that cannot be
   *   written (naming it); `FfmpegNotFound` when no ffmpeg is found; `FfmpegFailed` when ffmpeg exits
   *   before taking frames (for example the codec is missing from this build)
   */
  static async open(options: EncoderOpenOptions): Promise<FfmpegEncoder> {
    const resolved = resolveEncodeOptions(options, ['width', 'height']);
    const width = checkEvenDimension(options.width, 'width');
    const height = checkEvenDimension(options.height, 'height');
    checkOutputWritable(resolved.output);
    const ffmpegPath = resolved.ffmpegPath === undefined ? locateFfmpeg().path : checkExplicitFfmpeg(resolved.ffmpegPath);
    const startedAt = performance.now();
    const socket = resolved.transport === 'socket' ? await OneShotSocket.listen() : undefined;
    try {
      const running = resolved.backend.start({
        ffmpegPath,
        input: { url: socket ? socket.url : 'pipe:0' },
        width,
        height,
        fps: resolved.fps,
        inputPixelFormat: 'yuv420p',
        output: resolved.output,
        codec: resolved.codec,
        preset: resolved.preset,
        crf: resolved.crf,
        bitrate: resolved.bitrate,
        pixelFormat: resolved.pixelFormat,
        colorMatrix: resolved.colorMatrix,
        container: resolved.container,
      });
      const what = `before encoding '${resolved.output}'`;
      const failed = running.exited.then((exit) => ffmpegFailure(exit, undefined, what));
      let spawnedInfo: { pid: number; stdin: Writable | null };
      try {
        spawnedInfo = await running.spawned;
      } catch {
        throw await failed;
      }
      // Room for two frames in the socket, so ffmpeg's read of a frame never waits on this process.
      const input = socket ? await socket.accept(failed, 2 * yuv420pFrameBytes(width, height)) : spawnedInfo.stdin;
      if (!input) {
        running.kill();
        throw new GeyserError('FfmpegFailed', `ffmpeg (pid ${spawnedInfo.pid}) has no stdin to write frames to`);
      }
      return new FfmpegEncoder({ width, height, options: resolved, running, pid: spawnedInfo.pid, input, socket, startedAt });
    } finally {
      // Connected or failed, the listening path is no longer needed.
      socket?.close();
    }
  }

  /** Frames submitted so far. */
  get frames(): number {
    return this.#frames;
  }

  /** Buffers allocated so far by {@link FfmpegEncoder.nextBuffer} (at most `maxQueuedFrames`; steady after warm-up). */
  get buffersAllocated(): number {
    return this.#allocated;
  }

  /**
   * A free frame buffer of {@link FfmpegEncoder.frameBytes} bytes to fill with one yuv420p frame
   * (Y plane, then U, then V). Waits while every buffer is still being written to ffmpeg.
   *
   * @throws {@link GeyserError} `FfmpegFailed` if ffmpeg died; `Released` after finish
   */
  nextBuffer(): Promise<Uint8Array> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#finishing) return Promise.reject(new GeyserError('Released', `encoder for '${this.options.output}' has finished`));
    return this.#takeSlot().then(() => {
      const free = this.#free.pop();
      if (free) return free;
      // At most one buffer per slot ever exists: free buffers are taken before allocating.
      this.#allocated++;
      const buffer = new Uint8Array(this.frameBytes);
      this.#owned.add(buffer);
      return buffer;
    });
  }

  /**
   * Queues a buffer from {@link FfmpegEncoder.nextBuffer}, filled with one frame, for ffmpeg.
   * Do not touch it afterwards; it comes back through `nextBuffer` once written.
   *
   * @param buffer - a buffer this encoder handed out
   * @throws {@link GeyserError} `FfmpegFailed` if ffmpeg died; `InvalidDescriptor` for a buffer that is not this encoder's
   */
  submit(buffer: Uint8Array): void {
    if (this.#failure) throw this.#failure;
    if (this.#finishing) throw new GeyserError('Released', `encoder for '${this.options.output}' has finished`);
    if (!this.#owned.has(buffer)) throw new GeyserError('InvalidDescriptor', expectedMessage('a buffer from nextBuffer()', 'buffer', buffer));
    this.#frames++;
    this.#input.write(buffer, (error) => {
      if (error) return; // ffmpeg is gone; #onExit reports why
      this.#free.push(buffer);
      this.#giveSlot();
    });
  }

  /**
   * Queues a frame the caller owns, without copying it (for frames already converted elsewhere,
   * e.g. read back from a GPU convert). Waits while `maxQueuedFrames` frames are in flight, like
   * {@link FfmpegEncoder.nextBuffer}; resolves once ffmpeg's input took the bytes, and until then
   * the caller must not change `frame`. For overlap, keep a few of these promises pending.
   *
   * @param frame - one yuv420p frame, exactly {@link FfmpegEncoder.frameBytes} bytes
   * @throws {@link GeyserError} `InvalidDescriptor` for a frame of the wrong size; `FfmpegFailed` if ffmpeg died; `Released` after finish
   */
  async writeShared(frame: Uint8Array): Promise<void> {
    this.#checkFrame(frame);
    if (this.#failure) throw this.#failure;
    if (this.#finishing) throw new GeyserError('Released', `encoder for '${this.options.output}' has finished`);
    await this.#takeSlot();
    this.#frames++;
    await new Promise<void>((resolve, reject) => {
      this.#input.write(frame, (error) => {
        if (!error) {
          this.#giveSlot();
          resolve();
          return;
        }
        // ffmpeg is gone: report why, once its exit is known.
        void this.#running.exited.then(() => reject(this.#failure ?? error));
      });
    });
  }

  /**
   * Copies one frame into a free buffer and queues it (a convenience over nextBuffer + submit).
   *
   * @param frame - one yuv420p frame, exactly {@link FfmpegEncoder.frameBytes} bytes
   * @throws {@link GeyserError} `InvalidDescriptor` for a frame of the wrong size; `FfmpegFailed` if ffmpeg died
   */
  async write(frame: Uint8Array): Promise<void> {
    this.#checkFrame(frame);
    const buffer = await this.nextBuffer();
    buffer.set(frame);
    this.submit(buffer);
  }

  /**
   * Closes ffmpeg's input gracefully and waits for it to write the file's trailer, so the output is
   * playable with every frame submitted. Idempotent: later calls return the same promise.
   *
   * @returns what was written
   * @throws {@link GeyserError} `FfmpegFailed` with the exit code or signal and ffmpeg's last stderr lines
   */
  finish(): Promise<EncodeResult> {
    this.#finishing ??= this.#finish();
    return this.#finishing;
  }

  async #finish(): Promise<EncodeResult> {
    this.#input.end();
    const exit = await this.#running.exited;
    this.#rejectWaiters(new GeyserError('Released', `encoder for '${this.options.output}' has finished`));
    if (this.#failure) throw this.#failure;
    if (exit.code !== 0) throw ffmpegFailure(exit, this.pid, `while encoding '${this.options.output}' after ${this.#frames} frames`);
    const o = this.options;
    return { output: o.output, frames: this.#frames, width: this.width, height: this.height, fps: o.fps, codec: o.codec, elapsedMs: performance.now() - this.#startedAt };
  }

  /** Finishes the file (see {@link FfmpegEncoder.finish}), for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.finish();
  }

  /** Kills ffmpeg at once (the output is left incomplete); `finish` then reports the kill. */
  kill(): void {
    this.#running.kill('SIGKILL');
  }

  #checkFrame(frame: unknown): void {
    if (!(frame instanceof Uint8Array) || frame.byteLength !== this.frameBytes) {
      throw new GeyserError('InvalidDescriptor', expectedMessage(`a Uint8Array of ${this.frameBytes} bytes (${this.width}x${this.height} yuv420p)`, 'frame', frame instanceof Uint8Array ? `${frame.byteLength} bytes` : frame));
    }
  }

  /** Takes one of the `maxQueuedFrames` slots, waiting while all are in flight (the backpressure). */
  #takeSlot(): Promise<void> {
    if (this.#slots > 0) {
      this.#slots--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Frees a slot: to the longest waiter, else back to the count. */
  #giveSlot(): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve();
    else this.#slots++;
  }

  #rejectWaiters(error: unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  #onExit(exit: EncoderExit): void {
    this.#progress.complete();
    this.#socket?.close();
    // An exit before finish() closed the input is a failure whatever the code: frames were lost.
    if (this.#finishing && exit.code === 0) return;
    const what = this.#finishing ? `while finishing '${this.options.output}' after ${this.#frames} frames` : `mid-stream while encoding '${this.options.output}' after ${this.#frames} frames`;
    this.#failure ??= ffmpegFailure(exit, this.pid, what);
    this.#rejectWaiters(this.#failure);
  }
}

/** An explicitly given ffmpeg must exist: a typo should not silently fall back to another. */
function checkExplicitFfmpeg(path: string): string {
  const absolute = resolve(path);
  const why = notExecutable(absolute);
  if (why !== undefined) throw new GeyserError('FfmpegNotFound', `ffmpeg was not found at ffmpegPath: ${why}`);
  return absolute;
}
