/**
 * The native bilinear scaler: the same arithmetic as {@link scaleBilinear}, bit for bit, compiled
 * in the addon; the sample positions (taps) are still worked out here, so both share one definition.
 *
 * @module
 */
import { callNative, native } from '../../core/native.js';
import { checkNotAliased, checkRgbaImage, type RgbaImage } from './rgba-image.js';
import { axisTaps, checkRect, scaleBilinear, type PixelRect } from './scale.js';

/** The addon's scaler entry point (native/convert/rgba_filters_binding.cc). */
interface ScaleAddon {
  scaleBilinearRgba(source: Uint8Array, sourceWidth: number, sourceHeight: number, target: Uint8Array, targetWidth: number, targetHeight: number, rect: Int32Array, xTaps: Int32Array, yTaps: Int32Array): void;
}

/**
 * {@link scaleBilinear} in native code, on the calling thread: same output, byte for byte.
 *
 * @example
 * ```ts
 * const half = createRgbaImage(960, 540);
 * scaleBilinearNative(frame, half);
 * ```
 * @param source - the image to read
 * @param target - the image to write; its memory must not overlap `source`'s
 * @param rect - where in `target` the scaled image goes (default: all of it)
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` as {@link scaleBilinear}; `AddonNotFound` without the addon
 */
export function scaleBilinearNative(source: RgbaImage, target: RgbaImage, rect?: PixelRect): RgbaImage {
  checkRgbaImage(source, 'source');
  checkRgbaImage(target, 'target');
  checkNotAliased(source, target);
  const area = rect === undefined ? { x: 0, y: 0, width: target.width, height: target.height } : checkRect(rect, target);
  // The same size is a copy of rows, which the JS kernel does with typed-array copies already.
  if (source.width === area.width && source.height === area.height) return scaleBilinear(source, target, area);
  const addon = native() as unknown as ScaleAddon;
  const place = Int32Array.of(area.x, area.y, area.width, area.height);
  const xs = axisTaps(source.width, area.width).packed;
  const ys = axisTaps(source.height, area.height).packed;
  callNative(() => addon.scaleBilinearRgba(source.data, source.width, source.height, target.data, target.width, target.height, place, xs, ys));
  return target;
}
