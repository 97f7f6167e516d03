/**
 * The seam between Geyser's encoder sink and the library that drives the ffmpeg process.
 *
 * fluent-ffmpeg (the default) is archived upstream, so everything Geyser needs from it fits in
 * this small interface; swapping it for another driver (or a bare `child_process.spawn`) means
 * writing one {@link EncoderBackend}, not touching the sink.
 *
 * @module
 */
import type { Writable } from 'node:stream';

/** What to encode, fully resolved: every default applied, every value validated. */
export interface EncoderJob {
  /** The ffmpeg executable. */
  readonly ffmpegPath: string;
  /** Where ffmpeg reads raw frames: `unix:/path` (it connects) or `pipe:0` (its stdin). */
  readonly input: { readonly url: string };
  /** Frame width in pixels (even, for 4:2:0 chroma). */
  readonly width: number;
  /** Frame height in pixels (even). */
  readonly height: number;
  /** Frames per second of the output. */
  readonly fps: number;
  /** Pixel format of the raw input frames (`yuv420p`: 12 bits per pixel). */
  readonly inputPixelFormat: string;
  /** Output file path. */
  readonly output: string;
  /** Video encoder, e.g. `libx264`. */
  readonly codec: string;
  /** Encoder preset, e.g. `ultrafast`; undefined for encoders without presets. */
  readonly preset: string | undefined;
  /** Constant rate factor, when rate control is by quality. */
  readonly crf: number | undefined;
  /** Target bitrate such as `'4M'`, when rate control is by bitrate. */
  readonly bitrate: string | undefined;
  /** Pixel format of the encoded stream. */
  readonly pixelFormat: string;
  /** The YUV matrix of the raw frames (limited range), written into the stream's color tags. */
  readonly colorMatrix: 'bt709' | 'bt601';
  /** Container (ffmpeg `-f` name); undefined lets ffmpeg pick from the file extension. */
  readonly container: string | undefined;
}

/** One progress report from a running encoder. */
export interface EncoderProgress {
  /** Frames encoded so far. */
  readonly frames: number;
  /** ffmpeg's current frames per second. */
  readonly fps: number;
  /** ffmpeg's current output bitrate in kbit/s. */
  readonly kbps: number;
  /** Output time reached, `HH:MM:SS.ss`. */
  readonly timemark: string;
}

/** How an encoder process ended. */
export interface EncoderExit {
  /** Exit code, or null when killed by a signal or never started. */
  readonly code: number | null;
  /** Signal that killed it, or null. */
  readonly signal: NodeJS.Signals | null;
  /** The last lines ffmpeg wrote to stderr (progress lines left out). */
  readonly stderrTail: readonly string[];
  /** Why it never ran (for example the codec is not in this ffmpeg build), if so. */
  readonly startError: Error | undefined;
}

/** A started encoder process. */
export interface RunningEncoder {
  /**
   * Resolves once the process has spawned, with its pid and stdin (used when the job's input URL
   * is `pipe:0`); rejects if it never spawns.
   */
  readonly spawned: Promise<{ readonly pid: number; readonly stdin: Writable | null }>;
  /** Settles once the process has ended (never rejects). */
  readonly exited: Promise<EncoderExit>;
  /** Subscribes to progress reports; returns the unsubscribe function. */
  onProgress(listener: (progress: EncoderProgress) => void): () => void;
  /** Sends `signal` (default SIGKILL) to the process if it is running. */
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Drives ffmpeg processes for the encoder sink.
 *
 * @example
 * ```ts
 * import { fluentFfmpegBackend, type EncoderBackend } from 'geyser';
 * const backend: EncoderBackend = fluentFfmpegBackend;
 * const running = backend.start(job);
 * const exit = await running.exited;
 * ```
 */
export interface EncoderBackend {
  /** A name for logs and `describe()`. */
  readonly name: string;
  /** Starts ffmpeg for `job`; failures surface through {@link RunningEncoder.exited}. */
  start(job: EncoderJob): RunningEncoder;
}

/** True for one of ffmpeg's progress lines (`frame=  120 fps= 60 ...`), which a tail leaves out. @internal */
export function isProgressLine(line: string): boolean {
  return /^\s*frame=\s*\d+/.test(line) || /^\s*size=\s*\S+\s+time=/.test(line);
}

/** The last `count` meaningful lines of ffmpeg's stderr. @internal */
export function stderrTail(stderr: string, count = 8): string[] {
  return stderr
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '' && !isProgressLine(line))
    .slice(-count);
}
