/**
 * RGBA <-> BGRA: swaps the first and third byte of every pixel.
 *
 * @module
 */
import { checkRgbaImage, type RgbaImage } from './rgba-image.js';

/**
 * Swaps red and blue in place, turning RGBA into BGRA (or back).
 *
 * @example
 * ```ts
 * swapRedBlue(frame); // now BGRA, for a bgra8unorm texture
 * ```
 * @param image - the pixels, changed in place
 * @returns `image`
 * @throws GeyserError `InvalidDescriptor` for a malformed image
 */
export function swapRedBlue(image: RgbaImage): RgbaImage {
  checkRgbaImage(image, 'image');
  const data = image.data;
  for (let i = 0; i < data.length; i += 4) {
    const red = data[i]!;
    data[i] = data[i + 2]!;
    data[i + 2] = red;
  }
  return image;
}
