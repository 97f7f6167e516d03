/**
 * Grayscale by BT.709 luma.
 *
 * @module
 */
import { checkRgbaImage, checkSameSize, type RgbaImage } from './rgba-image.js';

/**
 * Converts an RGBA image to gray: each pixel's R, G and B become its BT.709 luma
 * `Y = 0.2126 R + 0.7152 G + 0.0722 B` (full range, no gamma handling: the weights apply to the
 * stored values, as video software does), rounded half up; alpha is kept.
 *
 * The arithmetic is exact integer math, `Y = floor((2126 R + 7152 G + 722 B + 5000) / 10000)`, so
 * the result is the same on every machine. `source` and `target` may be the same image (in place).
 *
 * @example
 * ```ts
 * const image = createRgbaImage(2, 1);
 * image.data.set([255, 0, 0, 255, 0, 0, 255, 128]);
 * grayscaleRgba(image, image);
 * image.data; // [54, 54, 54, 255, 18, 18, 18, 128]
 * ```
 * @param source - the image to read
 * @param target - where to write; same size as `source`, may be `source` itself
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` if an image is malformed or the sizes differ
 */
export function grayscaleRgba(source: RgbaImage, target: RgbaImage): RgbaImage {
  checkRgbaImage(source, 'source');
  checkRgbaImage(target, 'target');
  checkSameSize(source, target);
  const src = source.data;
  const dst = target.data;
  const end = src.length;
  for (let i = 0; i < end; i += 4) {
    // floor(n / 10000) by multiplication: a non-integer quotient is at least 1e-4 below the next
    // integer, far more than the float error (< 1e-9) plus the 1e-7 nudge for exact quotients.
    const y = ((2126 * src[i]! + 7152 * src[i + 1]! + 722 * src[i + 2]! + 5000) * 1e-4 + 1e-7) | 0;
    dst[i] = y;
    dst[i + 1] = y;
    dst[i + 2] = y;
    dst[i + 3] = src[i + 3]!;
  }
  return target;
}
