/**
 * Options of the ffmpeg encoder sink, and their validation (one message shape, named fields).
 *
 * @module
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GeyserError } from '../../core/errors.js';
import { checkKnownKeys, expectedMessage, invalid, isInteger, isPlainObject } from '../../core/validate.js';
import type { EncoderBackend } from './backend.js';
import { fluentFfmpegBackend } from './fluent-backend.js';

/** How raw frames reach ffmpeg. */
export type EncoderTransport = 'socket' | 'stdin';

/**
 * Options of {@link encode} (and {@link FfmpegEncoder.open}).
 */
export interface EncodeOptions {
  /** Output file path; its directory must exist and be writable. */
  output: string;
  /** Frames per second of the output, > 0 and <= 1000. */
  fps: number;
  /** ffmpeg video encoder (default `'libx264'`). */
  codec?: string;
  /** Encoder preset (default `'veryfast'` for libx264/libx265, none for other encoders). */
  preset?: string;
  /** Target bitrate: bits per second, or ffmpeg's spelling such as `'4M'` or `'800k'`. */
  bitrate?: number | string;
  /** Constant rate factor, 0 (lossless) to 63; libx264's default is 23. */
  crf?: number;
  /** Pixel format of the encoded stream (default `'yuv420p'`, what every player decodes). */
  pixelFormat?: string;
  /** Container, as ffmpeg's `-f` name (default: from the output's extension, e.g. mp4). */
  container?: string;
  /**
   * The RGB-to-YUV matrix the frames were (or, in the `encode` sink, will be) converted with, and
   * that the stream is tagged with: `'bt709'` (default, HD) or `'bt601'` (SD). Range is limited (tv).
   */
  colorMatrix?: 'bt709' | 'bt601';
  /** How frames reach ffmpeg: a Unix socket (default; faster) or its stdin. */
  transport?: EncoderTransport;
  /** An ffmpeg executable to use instead of searching (see {@link locateFfmpeg}). */
  ffmpegPath?: string;
  /** The library that drives ffmpeg (default {@link fluentFfmpegBackend}). */
  backend?: EncoderBackend;
  /** Frames buffered between the pipeline and ffmpeg before the sink waits, 1-16 (default 3). */
  maxQueuedFrames?: number;
}

/** {@link EncodeOptions} with the frame size, for the standalone {@link FfmpegEncoder}. */
export interface EncoderOpenOptions extends EncodeOptions {
  /** Frame width, an even number of pixels (4:2:0 chroma halves it). */
  width: number;
  /** Frame height, an even number of pixels. */
  height: number;
}

/** Encode options with every default applied. @internal */
export interface ResolvedEncodeOptions {
  readonly output: string;
  readonly fps: number;
  readonly codec: string;
  readonly preset: string | undefined;
  readonly bitrate: string | undefined;
  readonly crf: number | undefined;
  readonly pixelFormat: string;
  readonly container: string | undefined;
  readonly colorMatrix: 'bt709' | 'bt601';
  readonly transport: EncoderTransport;
  readonly ffmpegPath: string | undefined;
  readonly backend: EncoderBackend;
  readonly maxQueuedFrames: number;
}

const KEYS = ['output', 'fps', 'codec', 'preset', 'bitrate', 'crf', 'pixelFormat', 'container', 'colorMatrix', 'transport', 'ffmpegPath', 'backend', 'maxQueuedFrames'] as const;
/** ffmpeg option values travel as command-line words: letters, digits, `_`, `-`, `,`, `.`. */
const WORD = /^[A-Za-z0-9_.,-]+$/;
const PRESET_CODECS = new Set(['libx264', 'libx265', 'libx264rgb']);

function word(value: unknown, field: string): string {
  if (typeof value !== 'string' || !WORD.test(value)) invalid('a word of letters, digits, _ . , -', field, value);
  return value;
}

function bitrate(value: unknown): string {
  if (isInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d+(\.\d+)?[kKmMgG]?$/.test(value)) return value;
  return invalid("positive integer (bits/s) or a string like '4M' or '800k'", 'bitrate', value);
}

/** Validates and defaults encode options; throws naming the first bad field. @internal */
export function resolveEncodeOptions(options: unknown, extraKeys: readonly string[] = []): ResolvedEncodeOptions {
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
  checkKnownKeys(options, [...KEYS, ...extraKeys], 'encode');
  const o = options as Partial<EncodeOptions>;
  if (typeof o.output !== 'string' || o.output === '') invalid('non-empty string', 'output', o.output);
  if (typeof o.fps !== 'number' || !Number.isFinite(o.fps) || o.fps <= 0 || o.fps > 1000) invalid('number above 0 and at most 1000', 'fps', o.fps);
  const codec = o.codec === undefined ? 'libx264' : word(o.codec, 'codec');
  const preset = o.preset === undefined ? (PRESET_CODECS.has(codec) ? 'veryfast' : undefined) : word(o.preset, 'preset');
  if (o.crf !== undefined && (typeof o.crf !== 'number' || !Number.isFinite(o.crf) || o.crf < 0 || o.crf > 63)) invalid('number between 0 and 63', 'crf', o.crf);
  const colorMatrix = o.colorMatrix ?? 'bt709';
  if (colorMatrix !== 'bt709' && colorMatrix !== 'bt601') invalid("'bt709' or 'bt601'", 'colorMatrix', colorMatrix);
  const transport = o.transport ?? 'socket';
  if (transport !== 'socket' && transport !== 'stdin') invalid("'socket' or 'stdin'", 'transport', transport);
  if (o.ffmpegPath !== undefined && (typeof o.ffmpegPath !== 'string' || o.ffmpegPath === '')) invalid('non-empty string', 'ffmpegPath', o.ffmpegPath);
  const backend = o.backend ?? fluentFfmpegBackend;
  if (!isPlainObject(backend) || typeof backend.start !== 'function') invalid('an EncoderBackend (an object with start())', 'backend', backend);
  const maxQueuedFrames = o.maxQueuedFrames ?? 3;
  if (!isInteger(maxQueuedFrames) || maxQueuedFrames < 1 || maxQueuedFrames > 16) invalid('integer between 1 and 16', 'maxQueuedFrames', maxQueuedFrames);
  return Object.freeze({
    output: resolve(o.output),
    fps: o.fps,
    codec,
    preset,
    bitrate: o.bitrate === undefined ? undefined : bitrate(o.bitrate),
    crf: o.crf,
    pixelFormat: o.pixelFormat === undefined ? 'yuv420p' : word(o.pixelFormat, 'pixelFormat'),
    container: o.container === undefined ? undefined : word(o.container, 'container'),
    colorMatrix,
    transport,
    ffmpegPath: o.ffmpegPath,
    backend,
    maxQueuedFrames,
  });
}

/** Checks a frame dimension for 4:2:0 video: an even integer from 2 to 16384. @internal */
export function checkEvenDimension(value: unknown, field: string): number {
  if (!isInteger(value) || value < 2 || value > 16384 || value % 2 !== 0) invalid('even integer between 2 and 16384', field, value);
  return value;
}

/**
 * Throws `InvalidDescriptor` naming `output` when ffmpeg could not create it, before ffmpeg starts:
 * a missing directory, a directory, or no write permission. (Device files such as /dev/null pass.)
 * @internal
 */
export function checkOutputWritable(output: string): void {
  const fail = (why: string, code?: string): never => {
    throw new GeyserError('InvalidDescriptor', `Cannot write the encoder output '${output}': ${why}`, { detail: code });
  };
  let stat;
  try {
    stat = statSync(output);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) fail('it is a directory', 'EISDIR');
  const target = stat ? output : dirname(output);
  try {
    if (!stat && !statSync(target).isDirectory()) fail(`'${target}' is not a directory`, 'ENOTDIR');
    accessSync(target, constants.W_OK);
  } catch (error) {
    if (error instanceof GeyserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') fail(`directory '${target}' does not exist`, code);
    if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') fail(`no permission to write ${stat ? 'the file' : `in directory '${target}'`}`, code);
    fail((error as Error).message, code);
  }
}
