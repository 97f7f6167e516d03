/**
 * Bilinear resampling to any size.
 *
 * @module
 */
import { checkIntegerInRange } from '../../core/validate.js';
import { checkNotAliased, checkRgbaImage, type RgbaImage } from './rgba-image.js';

/**
 * Fractional weights are 11-bit fixed point (2048 is 1.0): four products of two weights and a byte
 * sum below 2^30, so the math stays in int32, and the quantization error stays under 1/8 of a level.
 */
const WEIGHT_BITS = 11;
const ONE = 1 << WEIGHT_BITS;
const SHIFT = 2 * WEIGHT_BITS;
const HALF = 1 << (SHIFT - 1);

/**
 * For each target coordinate, the two source coordinates it blends and the weight of the second.
 * Pixel centers are aligned (`src = (dst + 0.5) * srcSize / dstSize - 0.5`, clamped at the edges),
 * as OpenCV's `INTER_LINEAR` and ffmpeg's `bilinear` do, so an image never shifts by half a pixel.
 */
function axisTaps(sourceSize: number, targetSize: number): { first: Int32Array; second: Int32Array; weight: Int32Array } {
  const first = new Int32Array(targetSize);
  const second = new Int32Array(targetSize);
  const weight = new Int32Array(targetSize);
  const ratio = sourceSize / targetSize;
  for (let t = 0; t < targetSize; t++) {
    let position = (t + 0.5) * ratio - 0.5;
    if (position < 0) position = 0;
    if (position > sourceSize - 1) position = sourceSize - 1;
    const base = Math.floor(position);
    first[t] = base;
    second[t] = Math.min(base + 1, sourceSize - 1);
    weight[t] = Math.round((position - base) * ONE);
  }
  return { first, second, weight };
}

/** A rectangle inside an image, in pixels. */
export interface PixelRect {
  /** Left edge. */
  readonly x: number;
  /** Top edge. */
  readonly y: number;
  /** Width, at least 1. */
  readonly width: number;
  /** Height, at least 1. */
  readonly height: number;
}

/**
 * Resizes `source` into `target` (any sizes, up or down) by bilinear interpolation of all four
 * channels, with pixel centers aligned and edges clamped. With `rect`, only that rectangle of
 * `target` is written (the rest is left as is), which is how tiles are composed.
 *
 * Weights are 11-bit fixed point, so each channel is within 1 of exact float bilinear
 * interpolation. Shrinking by more than 2x skips source pixels (bilinear, not area averaging):
 * blur first if aliasing matters.
 *
 * @example
 * ```ts
 * const small = createRgbaImage(960, 540);
 * scaleBilinear(frame1080p, small);
 * ```
 * @param source - the image to read
 * @param target - the image to write; must not share memory with `source`
 * @param rect - the part of `target` to fill (default: all of it); must lie inside `target`
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` if an image is malformed, the images overlap, or `rect` is
 *   not inside `target`
 */
export function scaleBilinear(source: RgbaImage, target: RgbaImage, rect?: PixelRect): RgbaImage {
  checkRgbaImage(source, 'source');
  checkRgbaImage(target, 'target');
  checkNotAliased(source, target);
  const area = rect === undefined ? { x: 0, y: 0, width: target.width, height: target.height } : checkRect(rect, target);
  resample(source, target, area);
  return target;
}

/** Checks that `rect` has integer fields and lies inside `target`. */
function checkRect(rect: PixelRect, target: RgbaImage): PixelRect {
  checkIntegerInRange(rect.x, 'rect.x', 0, target.width - 1);
  checkIntegerInRange(rect.y, 'rect.y', 0, target.height - 1);
  checkIntegerInRange(rect.width, 'rect.width', 1, target.width - rect.x);
  checkIntegerInRange(rect.height, 'rect.height', 1, target.height - rect.y);
  return rect;
}

/** The interpolation itself, on checked arguments. */
function resample(source: RgbaImage, target: RgbaImage, rect: PixelRect): void {
  const src = source.data;
  const dst = target.data;
  const xs = axisTaps(source.width, rect.width);
  const ys = axisTaps(source.height, rect.height);
  const srcStride = source.width * 4;
  const dstStride = target.width * 4;
  const columns = rect.width;
  // Byte offsets of each target column's two source texels, computed once per call instead of per row.
  const x0 = new Int32Array(columns);
  const x1 = new Int32Array(columns);
  for (let x = 0; x < columns; x++) {
    x0[x] = xs.first[x]! * 4;
    x1[x] = xs.second[x]! * 4;
  }
  const wx = xs.weight;
  for (let y = 0; y < rect.height; y++) {
    const row0 = ys.first[y]! * srcStride;
    const row1 = ys.second[y]! * srcStride;
    const fy = ys.weight[y]!;
    const gy = ONE - fy;
    let out = (rect.y + y) * dstStride + rect.x * 4;
    for (let x = 0; x < columns; x++) {
      const fx = wx[x]!;
      const gx = ONE - fx;
      const w00 = gx * gy;
      const w01 = fx * gy;
      const w10 = gx * fy;
      const w11 = fx * fy;
      const a = row0 + x0[x]!;
      const b = row0 + x1[x]!;
      const c = row1 + x0[x]!;
      const d = row1 + x1[x]!;
      // Weights sum to 2^22; adding half before the shift rounds to nearest.
      dst[out] = (w00 * src[a]! + w01 * src[b]! + w10 * src[c]! + w11 * src[d]! + HALF) >>> SHIFT;
      dst[out + 1] = (w00 * src[a + 1]! + w01 * src[b + 1]! + w10 * src[c + 1]! + w11 * src[d + 1]! + HALF) >>> SHIFT;
      dst[out + 2] = (w00 * src[a + 2]! + w01 * src[b + 2]! + w10 * src[c + 2]! + w11 * src[d + 2]! + HALF) >>> SHIFT;
      dst[out + 3] = (w00 * src[a + 3]! + w01 * src[b + 3]! + w10 * src[c + 3]! + w11 * src[d + 3]! + HALF) >>> SHIFT;
      out += 4;
    }
  }
}
