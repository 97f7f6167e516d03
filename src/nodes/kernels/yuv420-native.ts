/**
 * The native RGBA to 4:2:0 converter: the same arithmetic as {@link rgbaToYuv420}, bit for bit,
 * compiled (and vectorized) in the addon, and run on libuv's thread pool in bands of rows.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { awaitNative, callNative, native } from '../../core/native.js';
import { checkIntegerInRange } from '../../core/validate.js';
import type { RgbaImage } from './rgba-image.js';
import { checkYuv420Conversion, YUV_COEFFICIENTS, type Yuv420Layout, type YuvMatrix } from './yuv420.js';

/** The addon's converter entry points (native/convert/convert_module.cc). */
interface ConvertAddon {
  rgbaToYuv420(rgba: Uint8Array, width: number, height: number, yuv: Uint8Array, layout: Yuv420Layout, k: Int32Array): void;
  rgbaToYuv420Async(rgba: Uint8Array, width: number, height: number, yuv: Uint8Array, layout: Yuv420Layout, k: Int32Array, bands: number): Promise<void>;
}

/** Options of {@link rgbaToYuv420Async}. */
export interface Yuv420AsyncOptions {
  /**
   * Pieces the picture is split into, each converted on a thread of libuv's pool. Default: one
   * less than the machine's cores (at least 1), at most the pool's size (`UV_THREADPOOL_SIZE`, 4
   * unless set). The core left over is the encoder's: on a 2-core machine feeding x264, one band
   * gave about 6% more encoded frames/s than two.
   */
  threads?: number;
}

const coefficientArrays = new Map<YuvMatrix, Int32Array>();

/** The 9 coefficients of a matrix as the addon takes them (Y, U, V rows). */
function coefficientsOf(matrix: YuvMatrix): Int32Array {
  let k = coefficientArrays.get(matrix);
  if (k === undefined) {
    const c = YUV_COEFFICIENTS[matrix];
    k = new Int32Array([c.yr, c.yg, c.yb, c.ur, c.ug, c.ub, c.vr, c.vg, c.vb]);
    coefficientArrays.set(matrix, k);
  }
  return k;
}

/** The default band count: a core short of all (see Yuv420AsyncOptions.threads), capped by libuv's pool size so no band waits for a thread. */
function defaultThreads(): number {
  // libuv reads UV_THREADPOOL_SIZE once, when its pool starts; so can this.
  if (defaultThreadCount === undefined) {
    const pool = Number.parseInt(process.env.UV_THREADPOOL_SIZE ?? '', 10);
    defaultThreadCount = Math.max(1, Math.min(availableParallelism() - 1, Number.isInteger(pool) && pool > 0 ? pool : 4));
  }
  return defaultThreadCount;
}

let defaultThreadCount: number | undefined;

/**
 * {@link rgbaToYuv420} in native code, on the calling thread: same output, byte for byte, about
 * 6x faster than the JS loop at 1080p.
 *
 * @example
 * ```ts
 * const yuv = new Uint8Array(yuv420ByteLength(frame.width, frame.height));
 * rgbaToYuv420Native(frame, yuv, 'i420');
 * ```
 * @param source - the RGBA image
 * @param target - `yuv420ByteLength(width, height)` bytes to fill
 * @param layout - `'nv12'` or `'i420'`
 * @param matrix - `'bt709'` (default) or `'bt601'`
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` as {@link rgbaToYuv420}; `AddonNotFound` without the addon
 */
export function rgbaToYuv420Native(source: RgbaImage, target: Uint8Array, layout: Yuv420Layout, matrix: YuvMatrix = 'bt709'): Uint8Array {
  checkYuv420Conversion(source, target, layout, matrix);
  const addon = native() as unknown as ConvertAddon;
  callNative(() => addon.rgbaToYuv420(source.data, source.width, source.height, target, layout, coefficientsOf(matrix)));
  return target;
}

/**
 * {@link rgbaToYuv420} in native code off the JS thread: the picture is split into bands of rows
 * converted in parallel on libuv's thread pool, so the event loop (and whatever produces the next
 * frame) runs meanwhile. Same output, byte for byte. Neither buffer may be changed, detached or
 * released until the promise settles.
 *
 * @example
 * ```ts
 * const yuv = await encoder.nextBuffer();
 * await rgbaToYuv420Async({ data: manager.mapTexture(frame.texture), width, height }, yuv, 'i420');
 * encoder.submit(yuv);
 * ```
 * @param source - the RGBA image
 * @param target - `yuv420ByteLength(width, height)` bytes to fill
 * @param layout - `'nv12'` or `'i420'`
 * @param matrix - `'bt709'` (default) or `'bt601'`
 * @param options - how many threads to split over
 * @returns `target`, filled
 * @throws GeyserError `InvalidDescriptor` as {@link rgbaToYuv420}, or for `threads` not an integer
 *   from 1 to 64; `AddonNotFound` without the addon
 */
export async function rgbaToYuv420Async(source: RgbaImage, target: Uint8Array, layout: Yuv420Layout, matrix: YuvMatrix = 'bt709', options: Yuv420AsyncOptions = {}): Promise<Uint8Array> {
  checkYuv420Conversion(source, target, layout, matrix);
  const threads = options.threads === undefined ? defaultThreads() : checkIntegerInRange(options.threads, 'threads', 1, 64);
  const addon = native() as unknown as ConvertAddon;
  await awaitNative(callNative(() => addon.rgbaToYuv420Async(source.data, source.width, source.height, target, layout, coefficientsOf(matrix), threads)));
  return target;
}
