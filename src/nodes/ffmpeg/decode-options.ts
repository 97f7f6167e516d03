/**
 * Options of the ffmpeg decoder (and the `ffmpegSource` node), their validation, and the ffmpeg
 * command line they make.
 *
 * @module
 */
import { checkIntegerInRange, checkKnownKeys, expectedMessage, invalid, isPlainObject } from '../../core/validate.js';

/** Options of {@link FfmpegDecoder.open} (and the `ffmpegSource` node). */
export interface DecodeOptions {
  /**
   * What to open: a file path, an image-sequence pattern (`frames/%04d.png`), a lavfi graph
   * (`testsrc2=size=640x360:rate=30` with `format: 'lavfi'`) or a device (`/dev/video0` with
   * `format: 'v4l2'`).
   */
  input: string;
  /** ffmpeg input format (`-f`), e.g. `'lavfi'`, `'v4l2'`, `'image2'`; default: ffmpeg probes. */
  format?: string;
  /** Width of the frames delivered; ffmpeg scales to it. */
  width: number;
  /** Height of the frames delivered. */
  height: number;
  /** Stop after this many frames (default: the whole input; required for endless lavfi/devices). */
  frames?: number;
  /** Resample to this frame rate (ffmpeg `-r`); default: the input's. */
  fps?: number;
  /** Extra ffmpeg input options, one word per element, e.g. `['-framerate', '30']` for a device. */
  inputOptions?: readonly string[];
  /** An ffmpeg executable to use instead of searching. */
  ffmpegPath?: string;
}

const KEYS = ['input', 'format', 'width', 'height', 'frames', 'fps', 'inputOptions', 'ffmpegPath'];

/** Decode options, validated. @internal */
export interface ResolvedDecodeOptions {
  readonly input: string;
  readonly format: string | undefined;
  readonly width: number;
  readonly height: number;
  readonly frames: number | undefined;
  readonly fps: number | undefined;
  readonly inputOptions: readonly string[];
  readonly ffmpegPath: string | undefined;
}

/** Validates decode options, naming the first bad field. @internal */
export function resolveDecodeOptions(options: unknown, what = 'ffmpegSource'): ResolvedDecodeOptions {
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
  checkKnownKeys(options, KEYS, what);
  const o = options as Partial<DecodeOptions>;
  if (typeof o.input !== 'string' || o.input === '') invalid('non-empty string', 'input', o.input);
  if (o.format !== undefined && (typeof o.format !== 'string' || !/^[A-Za-z0-9_,-]+$/.test(o.format))) invalid('an ffmpeg format name', 'format', o.format);
  const width = checkIntegerInRange(o.width, 'width', 1, 16384);
  const height = checkIntegerInRange(o.height, 'height', 1, 16384);
  const frames = o.frames === undefined ? undefined : checkIntegerInRange(o.frames, 'frames', 1, 2 ** 31 - 1);
  if (o.fps !== undefined && (typeof o.fps !== 'number' || !Number.isFinite(o.fps) || o.fps <= 0 || o.fps > 1000)) invalid('number above 0 and at most 1000', 'fps', o.fps);
  const inputOptions = o.inputOptions ?? [];
  if (!Array.isArray(inputOptions) || inputOptions.some((word) => typeof word !== 'string')) invalid('an array of strings', 'inputOptions', inputOptions);
  if (o.ffmpegPath !== undefined && (typeof o.ffmpegPath !== 'string' || o.ffmpegPath === '')) invalid('non-empty string', 'ffmpegPath', o.ffmpegPath);
  return Object.freeze({ input: o.input, format: o.format, width, height, frames, fps: o.fps, inputOptions: [...inputOptions], ffmpegPath: o.ffmpegPath });
}

/** ffmpeg's arguments: open the input, scale to the size, write raw RGBA to stdout. @internal */
export function decoderArgs(o: ResolvedDecodeOptions): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    ...o.inputOptions,
    ...(o.format === undefined ? [] : ['-f', o.format]),
    '-i',
    o.input,
    '-an',
    ...(o.frames === undefined ? [] : ['-frames:v', String(o.frames)]),
    ...(o.fps === undefined ? [] : ['-r', String(o.fps)]),
    '-vf',
    `scale=${o.width}:${o.height}`,
    '-pix_fmt',
    'rgba',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
}
