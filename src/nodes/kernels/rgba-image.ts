/**
 * The image shape every pixel kernel works on: RGBA8, tightly packed rows, no padding.
 *
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import { invalid, isInteger } from '../../core/validate.js';

/**
 * An RGBA8 image: `data` holds `width * height * 4` bytes, row after row with no padding, the
 * layout `manager.mapTexture(texture)` and `manager.readTexture(texture)` give for `rgba8unorm`.
 *
 * @example
 * ```ts
 * const image: RgbaImage = { data: new Uint8Array(64 * 32 * 4), width: 64, height: 32 };
 * ```
 */
export interface RgbaImage {
  /** The texels, 4 bytes each (R, G, B, A), tightly packed rows. */
  readonly data: Uint8Array;
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
}

/** The largest width or height a kernel accepts (matches the texture limit). */
const MAX_SIDE = 16384;

/**
 * Checks that `image` is an {@link RgbaImage} whose buffer matches its size; throws naming `field`.
 *
 * @internal
 */
export function checkRgbaImage(image: unknown, field: string): RgbaImage {
  if (typeof image !== 'object' || image === null) invalid('an RgbaImage { data, width, height }', field, image);
  const { data, width, height } = image as Partial<RgbaImage>;
  checkSide(width, `${field}.width`);
  checkSide(height, `${field}.height`);
  checkPixelBuffer(data, width as number, height as number, 4, `${field}.data`);
  return image as RgbaImage;
}

/**
 * Checks a width or height: an integer in [1, 16384].
 *
 * @internal
 */
export function checkSide(value: unknown, field: string): number {
  if (!isInteger(value) || value < 1 || value > MAX_SIDE) invalid(`integer between 1 and ${MAX_SIDE}`, field, value);
  return value;
}

/**
 * Checks that `data` is a Uint8Array of exactly `width * height * bytesPerPixel` bytes.
 *
 * @internal
 */
export function checkPixelBuffer(data: unknown, width: number, height: number, bytesPerPixel: number, field: string): Uint8Array {
  if (!(data instanceof Uint8Array)) invalid('a Uint8Array', field, data);
  const expected = width * height * bytesPerPixel;
  if (data.length !== expected) {
    throw new GeyserError(
      'InvalidDescriptor',
      `Expected ${expected} bytes (${width}x${height}x${bytesPerPixel}) for ${field} but received ${data.length} bytes`,
    );
  }
  return data;
}

/**
 * Allocates a zeroed RGBA image.
 *
 * @example
 * ```ts
 * const image = createRgbaImage(320, 240);
 * image.data.length; // 307200
 * ```
 * @param width - width in pixels, 1 to 16384
 * @param height - height in pixels, 1 to 16384
 * @throws GeyserError `InvalidDescriptor` if a side is not an integer in range
 */
export function createRgbaImage(width: number, height: number): RgbaImage {
  checkSide(width, 'width');
  checkSide(height, 'height');
  return { data: new Uint8Array(width * height * 4), width, height };
}

/**
 * Checks that `target` has the same size as `source`.
 *
 * @internal
 */
export function checkSameSize(source: RgbaImage, target: RgbaImage): void {
  if (target.width !== source.width || target.height !== source.height) {
    throw new GeyserError(
      'InvalidDescriptor',
      `Expected target of ${source.width}x${source.height} (the source size) but received ${target.width}x${target.height}`,
    );
  }
}

/**
 * Checks that `target`'s bytes do not overlap `source`'s, for kernels that cannot work in place.
 *
 * @internal
 */
export function checkNotAliased(source: RgbaImage, target: RgbaImage): void {
  if (sharesBytes(source.data, target.data)) throw new GeyserError('InvalidDescriptor', 'Expected target memory separate from source but they overlap');
}

/**
 * Whether two views share at least one byte of memory.
 *
 * @internal
 */
export function sharesBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}
