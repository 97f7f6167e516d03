/**
 * The native box blur: the same arithmetic as {@link boxBlur}, bit for bit, compiled in the addon.
 *
 * @module
 */
import { callNative, native } from '../../core/native.js';
import { checkIntegerInRange } from '../../core/validate.js';
import { boxBlur, MAX_BLUR_RADIUS } from './box-blur.js';
import { checkRgbaImage, checkSameSize, type RgbaImage } from './rgba-image.js';

/** The addon's box blur entry point (native/convert/rgba_filters_binding.cc). */
interface BoxBlurAddon {
  boxBlurRgba(source: Uint8Array, target: Uint8Array, width: number, height: number, radius: number): void;
}

/**
 * {@link boxBlur} in native code, on the calling thread: same output, byte for byte, at any radius
 * (the cost does not depend on it). `source` and `target` may be the same image: the source is
 * read in full before the first write, as in the JS kernel.
 *
 * @example
 * ```ts
 * boxBlurNative(frame, frame, 4); // in place, 9x9 box
 * ```
 * @param source - the image to read
 * @param target - where to write; same size as `source`; may be `source` itself
 * @param radius - box half-width in pixels, integer 0 to 255 (0 copies)
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` as {@link boxBlur}; `AddonNotFound` without the addon
 */
export function boxBlurNative(source: RgbaImage, target: RgbaImage, radius: number): RgbaImage {
  checkRgbaImage(source, 'source');
  checkRgbaImage(target, 'target');
  checkSameSize(source, target);
  checkIntegerInRange(radius, 'radius', 0, MAX_BLUR_RADIUS);
  if (radius === 0) return boxBlur(source, target, 0); // a copy
  const addon = native() as unknown as BoxBlurAddon;
  callNative(() => addon.boxBlurRgba(source.data, target.data, source.width, source.height, radius));
  return target;
}
