/**
 * RGBA to 8-bit 4:2:0 YUV (NV12 or I420), limited ("TV") range, BT.709 or BT.601 matrix.
 *
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import { invalid } from '../../core/validate.js';
import { checkRgbaImage, type RgbaImage } from './rgba-image.js';

/** Plane layout: `nv12` is Y then interleaved UV; `i420` (ffmpeg's `yuv420p`) is Y, then U, then V. */
export type Yuv420Layout = 'nv12' | 'i420';

/** The RGB to YUV matrix: BT.709 (HD video, the default) or BT.601 (SD video). */
export type YuvMatrix = 'bt709' | 'bt601';

/** The YUV layouts {@link rgbaToYuv420} writes. */
export const YUV420_LAYOUTS: readonly Yuv420Layout[] = ['nv12', 'i420'];

/** The matrices {@link rgbaToYuv420} knows. */
export const YUV_MATRICES: readonly YuvMatrix[] = ['bt709', 'bt601'];

/** Fixed-point coefficients (scaled by 2^16) of one matrix. */
interface Coefficients {
  yr: number;
  yg: number;
  yb: number;
  ur: number;
  ug: number;
  ub: number;
  vr: number;
  vg: number;
  vb: number;
}

/**
 * Derives the limited-range coefficients from the matrix's Kr and Kb (ITU-R BT.709 / BT.601):
 * `Y = 16 + 219/255 (Kr R + Kg G + Kb B)`, `U = 128 + 224/255 (B - Y') / (2 (1 - Kb))`,
 * `V = 128 + 224/255 (R - Y') / (2 (1 - Kr))`. U's and V's blue/red coefficient is set so each
 * row sums to exactly 0: any gray maps to U = V = 128 exactly.
 */
function coefficients(kr: number, kb: number): Coefficients {
  const kg = 1 - kr - kb;
  const s = 65536;
  const ys = (219 / 255) * s;
  const cs = (224 / 255) * s;
  const ur = Math.round((cs * -kr) / (2 * (1 - kb)));
  const ug = Math.round((cs * -kg) / (2 * (1 - kb)));
  const vg = Math.round((cs * -kg) / (2 * (1 - kr)));
  const vb = Math.round((cs * -kb) / (2 * (1 - kr)));
  return {
    yr: Math.round(ys * kr),
    yg: Math.round(ys * kg),
    yb: Math.round(ys * kb),
    ur,
    ug,
    ub: -(ur + ug),
    vr: -(vg + vb),
    vg,
    vb,
  };
}

/**
 * The fixed-point coefficients (scaled by 2^16) of each matrix, exported so a test or a GPU shader
 * can reproduce the kernel bit for bit.
 */
export const YUV_COEFFICIENTS: Readonly<Record<YuvMatrix, Readonly<Coefficients>>> = Object.freeze({
  bt709: Object.freeze(coefficients(0.2126, 0.0722)),
  bt601: Object.freeze(coefficients(0.299, 0.114)),
});

/**
 * Bytes of an 8-bit 4:2:0 frame: a full-size Y plane plus two chroma planes of
 * `ceil(width / 2) x ceil(height / 2)` (12 bits per pixel for even sizes).
 *
 * @example
 * ```ts
 * yuv420ByteLength(1920, 1080); // 3110400
 * ```
 * @param width - width in pixels
 * @param height - height in pixels
 */
export function yuv420ByteLength(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

/**
 * Converts RGBA to 8-bit 4:2:0 YUV, limited range (Y 16 to 235, U/V 16 to 240), the input ffmpeg
 * expects as `-f rawvideo -pix_fmt nv12` (or `yuv420p` for `i420`); tag the stream
 * `-colorspace bt709 -color_range tv` (or `bt470bg` for BT.601). Alpha is ignored.
 *
 * Exact integer arithmetic with the {@link YUV_COEFFICIENTS}:
 * `Y = (yr R + yg G + yb B + 16 * 2^16 + 2^15) >> 16` per pixel, and per 2x2 block (edge pixels
 * repeat for odd sizes) `U = (ur Rs + ug Gs + ub Bs + 128 * 2^18 + 2^17) >> 18` where Rs, Gs, Bs are
 * the sums of the block's four pixels (chroma sited at the block center), likewise V.
 *
 * @example
 * ```ts
 * const yuv = new Uint8Array(yuv420ByteLength(frame.width, frame.height));
 * rgbaToYuv420(frame, yuv, 'nv12');
 * ffmpegStdin.write(yuv);
 * ```
 * @param source - the RGBA image
 * @param target - `yuv420ByteLength(width, height)` bytes to fill
 * @param layout - `'nv12'` or `'i420'`
 * @param matrix - `'bt709'` (default) or `'bt601'`
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` if the image is malformed, `target` has the wrong length,
 *   or `layout`/`matrix` is unknown
 */
export function rgbaToYuv420(source: RgbaImage, target: Uint8Array, layout: Yuv420Layout, matrix: YuvMatrix = 'bt709'): Uint8Array {
  checkYuv420Conversion(source, target, layout, matrix);
  const { width, height } = source;
  const k = YUV_COEFFICIENTS[matrix];
  writeLuma(source.data, target, width * height, k);
  const chromaWidth = Math.ceil(width / 2);
  const chromaSize = chromaWidth * Math.ceil(height / 2);
  const lumaSize = width * height;
  if (layout === 'nv12') {
    writeChroma(source.data, target, width, height, k, lumaSize, lumaSize + 1, 2);
  } else {
    writeChroma(source.data, target, width, height, k, lumaSize, lumaSize + chromaSize, 1);
  }
  return target;
}

/**
 * Checks the arguments of a 4:2:0 conversion: a well-formed RGBA image, a target of exactly
 * `yuv420ByteLength` bytes, a known layout and matrix.
 *
 * @internal
 * @throws GeyserError `InvalidDescriptor` naming the bad argument
 */
export function checkYuv420Conversion(source: RgbaImage, target: Uint8Array, layout: Yuv420Layout, matrix: YuvMatrix): void {
  checkRgbaImage(source, 'source');
  if (!YUV420_LAYOUTS.includes(layout)) invalid(`one of ${YUV420_LAYOUTS.join(', ')}`, 'layout', layout);
  if (!YUV_MATRICES.includes(matrix)) invalid(`one of ${YUV_MATRICES.join(', ')}`, 'matrix', matrix);
  const expected = yuv420ByteLength(source.width, source.height);
  if (!(target instanceof Uint8Array)) invalid('a Uint8Array', 'target', target);
  if (target.length !== expected) {
    throw new GeyserError('InvalidDescriptor', `Expected ${expected} bytes (${source.width}x${source.height} 4:2:0) for target but received ${target.length} bytes`);
  }
}

/** Fills the Y plane, one sample per pixel. */
function writeLuma(src: Uint8Array, dst: Uint8Array, pixels: number, k: Coefficients): void {
  const { yr, yg, yb } = k;
  const offset = (16 << 16) + (1 << 15);
  for (let p = 0, i = 0; p < pixels; p++, i += 4) {
    dst[p] = (yr * src[i]! + yg * src[i + 1]! + yb * src[i + 2]! + offset) >> 16;
  }
}

/**
 * Fills the chroma planes from 2x2 block sums. U samples go from `uStart`, V from `vStart`, each
 * `step` bytes apart (2 for NV12's interleaved UV, 1 for I420's separate planes).
 */
function writeChroma(src: Uint8Array, dst: Uint8Array, width: number, height: number, k: Coefficients, uStart: number, vStart: number, step: number): void {
  const { ur, ug, ub, vr, vg, vb } = k;
  const offset = (128 << 18) + (1 << 17);
  const stride = width * 4;
  let u = uStart;
  let v = vStart;
  for (let y = 0; y < height; y += 2) {
    const top = y * stride;
    // Odd height: the last block row repeats its only pixel row.
    const bottom = y + 1 < height ? top + stride : top;
    for (let x = 0; x < width; x += 2) {
      const left = x * 4;
      // Odd width: the last block column repeats its only pixel column.
      const right = x + 1 < width ? left + 4 : left;
      const a = top + left;
      const b = top + right;
      const c = bottom + left;
      const d = bottom + right;
      const rs = src[a]! + src[b]! + src[c]! + src[d]!;
      const gs = src[a + 1]! + src[b + 1]! + src[c + 1]! + src[d + 1]!;
      const bs = src[a + 2]! + src[b + 2]! + src[c + 2]! + src[d + 2]!;
      dst[u] = (ur * rs + ug * gs + ub * bs + offset) >> 18;
      dst[v] = (vr * rs + vg * gs + vb * bs + offset) >> 18;
      u += step;
      v += step;
    }
  }
}
