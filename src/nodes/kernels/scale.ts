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

/** The taps of one axis: three views of one packed table (`first | second | weight`), which the native kernel takes whole. */
export interface AxisTaps {
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly weight: Int32Array;
  readonly packed: Int32Array;
}

/**
 * For each target coordinate, the two source coordinates it blends and the weight of the second.
 * Pixel centers are aligned (`src = (dst + 0.5) * srcSize / dstSize - 0.5`, clamped at the edges),
 * as OpenCV's `INTER_LINEAR` and ffmpeg's `bilinear` do, so an image never shifts by half a pixel.
 *
 * @internal
 */
export function axisTaps(sourceSize: number, targetSize: number): AxisTaps {
  const packed = new Int32Array(3 * targetSize);
  const first = packed.subarray(0, targetSize);
  const second = packed.subarray(targetSize, 2 * targetSize);
  const weight = packed.subarray(2 * targetSize);
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
  return { first, second, weight, packed };
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

/**
 * Checks that `rect` has integer fields and lies inside `target`.
 *
 * @internal
 */
export function checkRect(rect: PixelRect, target: RgbaImage): PixelRect {
  checkIntegerInRange(rect.x, 'rect.x', 0, target.width - 1);
  checkIntegerInRange(rect.y, 'rect.y', 0, target.height - 1);
  checkIntegerInRange(rect.width, 'rect.width', 1, target.width - rect.x);
  checkIntegerInRange(rect.height, 'rect.height', 1, target.height - rect.y);
  return rect;
}

/** The interpolation itself, on checked arguments. */
function resample(source: RgbaImage, target: RgbaImage, rect: PixelRect): void {
  if (source.width === rect.width && source.height === rect.height) {
    copyRows(source, target, rect);
    return;
  }
  const xs = axisTaps(source.width, rect.width);
  const ys = axisTaps(source.height, rect.height);
  const rowLength = rect.width * 4;
  // Separable: each needed source row is interpolated horizontally once (kept unrounded, 11 extra
  // bits), then output rows blend two such rows. The integer result equals the 4-tap formula
  // (gy (gx a + fx b) + fy (gx c + fx d) + half) >> 22 exactly, at about half the multiplies.
  let upper = new Int32Array(rowLength);
  let lower = new Int32Array(rowLength);
  let upperRow = -1;
  let lowerRow = -1;
  const dst = target.data;
  const dstStride = target.width * 4;
  for (let y = 0; y < rect.height; y++) {
    const want0 = ys.first[y]!;
    const want1 = ys.second[y]!;
    if (upperRow !== want0) {
      if (lowerRow === want0) {
        [upper, lower] = [lower, upper];
        upperRow = want0;
        lowerRow = -1;
      } else {
        horizontalRow(source, want0, xs, upper);
        upperRow = want0;
      }
    }
    if (lowerRow !== want1) {
      if (want1 === upperRow) lower.set(upper);
      else horizontalRow(source, want1, xs, lower);
      lowerRow = want1;
    }
    const fy = ys.weight[y]!;
    const gy = ONE - fy;
    const out = (rect.y + y) * dstStride + rect.x * 4;
    for (let i = 0; i < rowLength; i++) dst[out + i] = (gy * upper[i]! + fy * lower[i]! + HALF) >>> SHIFT;
  }
}

/** Interpolates source row `row` horizontally into `out` (values scaled by 2^11, unrounded). */
function horizontalRow(source: RgbaImage, row: number, xs: ReturnType<typeof axisTaps>, out: Int32Array): void {
  const src = source.data;
  const base = row * source.width * 4;
  const { first, second, weight } = xs;
  for (let x = 0, o = 0; x < first.length; x++, o += 4) {
    const a = base + first[x]! * 4;
    const b = base + second[x]! * 4;
    const fx = weight[x]!;
    const gx = ONE - fx;
    out[o] = gx * src[a]! + fx * src[b]!;
    out[o + 1] = gx * src[a + 1]! + fx * src[b + 1]!;
    out[o + 2] = gx * src[a + 2]! + fx * src[b + 2]!;
    out[o + 3] = gx * src[a + 3]! + fx * src[b + 3]!;
  }
}

/** Same size: bilinear at aligned centers is the identity, so rows are copied. */
function copyRows(source: RgbaImage, target: RgbaImage, rect: PixelRect): void {
  const rowLength = source.width * 4;
  for (let y = 0; y < rect.height; y++) {
    const from = y * rowLength;
    target.data.set(source.data.subarray(from, from + rowLength), ((rect.y + y) * target.width + rect.x) * 4);
  }
}
