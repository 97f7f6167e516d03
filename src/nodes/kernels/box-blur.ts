/**
 * Separable box blur with edge clamping, in exact integer arithmetic.
 *
 * @module
 */
import { checkRgbaImage, checkSameSize, type RgbaImage } from './rgba-image.js';
import { checkIntegerInRange } from '../../core/validate.js';

/** The largest radius accepted: sums of (2r+1)^2 bytes then stay well inside a Uint32. */
export const MAX_BLUR_RADIUS = 255;

/** Horizontal sums, reused between calls so a blur allocates nothing per frame once warm. */
let scratch = new Uint32Array(0);
/** Running vertical sums of one row of horizontal sums. */
let columnSums = new Uint32Array(0);

/**
 * Blurs with a `(2 radius + 1)`-square box: each output channel is the mean of the box around it
 * (pixels beyond an edge repeat the edge pixel), rounded half up. All four channels are averaged
 * as stored (straight alpha). Cost does not depend on the radius: running sums make each pass O(1)
 * per pixel. Run it 3 times for a close approximation of a gaussian of sigma ~ `radius`.
 *
 * The two passes keep unrounded integer sums, so the result is exactly
 * `floor((sum of box + d / 2) / d)` with `d = (2 radius + 1)^2`.
 *
 * @example
 * ```ts
 * boxBlur(frame, frame, 4); // in place, 9x9 box
 * ```
 * @param source - the image to read
 * @param target - where to write; same size as `source`; may be `source` itself
 * @param radius - box half-width in pixels, integer 0 to 255 (0 copies)
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` if an image is malformed, the sizes differ or `radius` is out of range
 */
export function boxBlur(source: RgbaImage, target: RgbaImage, radius: number): RgbaImage {
  checkRgbaImage(source, 'source');
  checkRgbaImage(target, 'target');
  checkSameSize(source, target);
  checkIntegerInRange(radius, 'radius', 0, MAX_BLUR_RADIUS);
  const { width, height } = source;
  if (radius === 0) {
    if (target.data !== source.data) target.data.set(source.data);
    return target;
  }
  const channels = width * height * 4;
  if (scratch.length < channels) scratch = new Uint32Array(channels);
  if (columnSums.length < width * 4) columnSums = new Uint32Array(width * 4);
  horizontalSums(source.data, scratch, width, height, radius);
  verticalMeans(scratch, target.data, columnSums, width, height, radius);
  return target;
}

/** Writes, for each pixel and channel, the sum of the `2r+1` pixels around it in its row. */
function horizontalSums(src: Uint8Array, sums: Uint32Array, width: number, height: number, r: number): void {
  const last = width - 1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = -r; k <= r; k++) {
      const i = row + Math.min(Math.max(k, 0), last) * 4;
      s0 += src[i]!;
      s1 += src[i + 1]!;
      s2 += src[i + 2]!;
      s3 += src[i + 3]!;
    }
    for (let x = 0; x < width; x++) {
      const o = row + x * 4;
      sums[o] = s0;
      sums[o + 1] = s1;
      sums[o + 2] = s2;
      sums[o + 3] = s3;
      // Clamping only matters within r of an edge; the branch is cheaper than two Math calls per pixel.
      const entering = row + (x + r + 1 <= last ? x + r + 1 : last) * 4;
      const leaving = row + (x - r >= 0 ? x - r : 0) * 4;
      s0 += src[entering]! - src[leaving]!;
      s1 += src[entering + 1]! - src[leaving + 1]!;
      s2 += src[entering + 2]! - src[leaving + 2]!;
      s3 += src[entering + 3]! - src[leaving + 3]!;
    }
  }
}

/** Sums `2r+1` rows of horizontal sums per output row, then divides by the box area, rounding half up. */
function verticalMeans(sums: Uint32Array, dst: Uint8Array, column: Uint32Array, width: number, height: number, r: number): void {
  const stride = width * 4;
  const last = height - 1;
  const area = (2 * r + 1) * (2 * r + 1);
  const half = area >>> 1;
  // floor((sum + half) / area) by multiplication: a quotient that is not an integer lies at least
  // 1/area (> 3.8e-6) below the next one, far more than the float error (< 1e-12) plus the 1e-9
  // nudge that lifts an exact integer quotient the multiply may land just under.
  const inverse = 1 / area;
  column.fill(0, 0, stride);
  for (let k = -r; k <= r; k++) {
    const row = Math.min(Math.max(k, 0), last) * stride;
    for (let i = 0; i < stride; i++) column[i] = column[i]! + sums[row + i]!;
  }
  for (let y = 0; y < height; y++) {
    const out = y * stride;
    const entering = Math.min(y + r + 1, last) * stride;
    const leaving = Math.max(y - r, 0) * stride;
    for (let i = 0; i < stride; i++) {
      const sum = column[i]!;
      dst[out + i] = ((sum + half) * inverse + 1e-9) | 0;
      column[i] = sum + sums[entering + i]! - sums[leaving + i]!;
    }
  }
}
