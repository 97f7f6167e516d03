/**
 * Composition of several images into one: a grid of tiles, or an image laid over another.
 *
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import { checkIntegerInRange, invalid, isInteger } from '../../core/validate.js';
import { checkNotAliased, checkRgbaImage, type RgbaImage } from './rgba-image.js';
import { scaleBilinear, type PixelRect } from './scale.js';

/** An RGBA color, each channel 0 to 255. */
export type Rgba = readonly [r: number, g: number, b: number, a: number];

/** Options of {@link compositeTiles}. */
export interface TileOptions {
  /** Columns of the grid; default `ceil(sqrt(n))` for n inputs. Rows follow: `ceil(n / columns)`. */
  columns?: number;
  /** Color of the area no tile covers; default opaque black. */
  background?: Rgba;
}

/**
 * The cell of tile `index` in a grid of `columns` x `rows` cells over a `width` x `height` image:
 * cells are `floor(width / columns)` x `floor(height / rows)`, filled row by row from the top left.
 *
 * @example
 * ```ts
 * tileRect(3, 2, 2, 1920, 1080); // { x: 960, y: 540, width: 960, height: 540 }
 * ```
 * @param index - the tile, from 0
 * @param columns - columns of the grid
 * @param rows - rows of the grid
 * @param width - width of the whole image
 * @param height - height of the whole image
 */
export function tileRect(index: number, columns: number, rows: number, width: number, height: number): PixelRect {
  const cellWidth = Math.floor(width / columns);
  const cellHeight = Math.floor(height / rows);
  return { x: (index % columns) * cellWidth, y: Math.floor(index / columns) * cellHeight, width: cellWidth, height: cellHeight };
}

/**
 * Draws `inputs` as a grid of tiles into `target`: each input is scaled (bilinear, stretched to the
 * cell) into its cell, see {@link tileRect}; uncovered pixels get the background color.
 *
 * @example
 * ```ts
 * compositeTiles([cam0, cam1, cam2, cam3], wall); // 2x2 grid
 * ```
 * @param inputs - the images, 1 or more, in reading order
 * @param target - the image to fill; must not share memory with any input
 * @param options - grid columns and background color
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` if there are no inputs, an image is malformed or shares
 *   memory with `target`, or a cell would be smaller than 1 pixel
 */
export function compositeTiles(inputs: readonly RgbaImage[], target: RgbaImage, options: TileOptions = {}): RgbaImage {
  return compositeTilesWith(scaleBilinear, inputs, target, options);
}

/** A bilinear scaler into a rectangle of the target: {@link scaleBilinear} or its native twin, which gives the same bytes. */
export type TileScaler = (source: RgbaImage, target: RgbaImage, rect: PixelRect) => RgbaImage;

/**
 * {@link compositeTiles} with the scaler given: the `composite` node passes the native one, while
 * `compositeTiles` itself stays plain JS (the reference).
 *
 * @internal
 */
export function compositeTilesWith(scale: TileScaler, inputs: readonly RgbaImage[], target: RgbaImage, options: TileOptions = {}): RgbaImage {
  if (!Array.isArray(inputs) || inputs.length === 0) invalid('a non-empty array of images', 'inputs', inputs);
  checkRgbaImage(target, 'target');
  inputs.forEach((input, i) => {
    checkRgbaImage(input, `inputs[${i}]`);
    checkNotAliased(input, target);
  });
  const { columns, rows } = tileGrid(inputs.length, target.width, target.height, options.columns);
  fillRgba(target, checkColor(options.background ?? [0, 0, 0, 255], 'background'));
  inputs.forEach((input, i) => scale(input, target, tileRect(i, columns, rows, target.width, target.height)));
  return target;
}

/**
 * The grid of {@link compositeTiles} (also used by `gpuCompositeTiles`): `columns` (default
 * `ceil(sqrt(count))`) checked against the inputs and the target's width, and the rows they need,
 * checked against the target's height, so every cell is at least 1 x 1.
 *
 * @internal
 */
export function tileGrid(count: number, width: number, height: number, requested: number | undefined): { columns: number; rows: number } {
  const columns = requested ?? Math.ceil(Math.sqrt(count));
  checkIntegerInRange(columns, 'columns', 1, Math.min(count, width));
  const rows = Math.ceil(count / columns);
  if (rows > height) {
    throw new GeyserError('InvalidDescriptor', `Expected at most ${height} rows of tiles for a target ${height} pixels high but ${count} inputs in ${columns} columns need ${rows}`);
  }
  return { columns, rows };
}

/** Options of {@link overlayRgba}. */
export interface OverlayOptions {
  /** Left edge of the overlay in the target; may be negative or past the edge (clipped). Default 0. */
  x?: number;
  /** Top edge of the overlay in the target; may be negative or past the edge (clipped). Default 0. */
  y?: number;
  /** Multiplies the overlay's alpha, 0 to 1; default 1. */
  opacity?: number;
}

/**
 * Lays `overlay` over `target` at (x, y), in place, blending by the overlay's alpha (straight, not
 * premultiplied) times `opacity`: with `a = alpha * opacity` in 0..255,
 * `out = floor((src a + dst (255 - a) + 127) / 255)` per color channel, and the target's alpha
 * becomes `a + floor((dstAlpha (255 - a) + 127) / 255)`. Parts outside the target are clipped.
 *
 * @example
 * ```ts
 * overlayRgba(frame, logo, { x: 16, y: 16, opacity: 0.8 });
 * ```
 * @param target - the image drawn on
 * @param overlay - the image laid over it; must not share memory with `target`
 * @param options - position and opacity
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` if an image is malformed, they overlap, or an option is out of range
 */
export function overlayRgba(target: RgbaImage, overlay: RgbaImage, options: OverlayOptions = {}): RgbaImage {
  checkRgbaImage(target, 'target');
  checkRgbaImage(overlay, 'overlay');
  checkNotAliased(overlay, target);
  const { x, y, scale, left, top, right, bottom } = overlayPlacement(options, '', overlay, target);
  if (left >= right || top >= bottom) return target;
  const src = overlay.data;
  const dst = target.data;
  for (let row = top; row < bottom; row++) {
    let s = ((row - y) * overlay.width + (left - x)) * 4;
    let d = (row * target.width + left) * 4;
    for (let col = left; col < right; col++, s += 4, d += 4) {
      const a = (src[s + 3]! * scale) >> 8;
      if (a === 0) continue;
      const inverse = 255 - a;
      // (v + 127) / 255 < 256 with integer v, so the float quotient floors exactly.
      dst[d] = ((src[s]! * a + dst[d]! * inverse + 127) / 255) | 0;
      dst[d + 1] = ((src[s + 1]! * a + dst[d + 1]! * inverse + 127) / 255) | 0;
      dst[d + 2] = ((src[s + 2]! * a + dst[d + 2]! * inverse + 127) / 255) | 0;
      dst[d + 3] = a + (((dst[d + 3]! * inverse + 127) / 255) | 0);
    }
  }
  return target;
}

/** Where {@link overlayRgba} lays an overlay: its checked position and opacity, and the clipped rectangle it covers (empty if `left >= right` or `top >= bottom`). */
export interface OverlayPlacement {
  /** Left edge of the overlay in the target (may be negative). */
  x: number;
  /** Top edge of the overlay in the target (may be negative). */
  y: number;
  /** Opacity in 0..256 fixed point, so opacity 1 leaves the overlay's alpha unchanged. */
  scale: number;
  /** The first target column covered. */
  left: number;
  /** The first target row covered. */
  top: number;
  /** One past the last target column covered. */
  right: number;
  /** One past the last target row covered. */
  bottom: number;
}

/**
 * Checks {@link OverlayOptions} (field names prefixed with `prefix`, e.g. `layers[0].`) and places
 * an overlay of `overlay`'s size on a target of `target`'s size; shared by {@link overlayRgba} and
 * `gpuOverlay`, so both clip and round alike.
 *
 * @internal
 */
export function overlayPlacement(
  options: OverlayOptions,
  prefix: string,
  overlay: { width: number; height: number },
  target: { width: number; height: number },
): OverlayPlacement {
  const { x = 0, y = 0, opacity = 1 } = options;
  if (!isInteger(x)) invalid('integer', `${prefix}x`, x);
  if (!isInteger(y)) invalid('integer', `${prefix}y`, y);
  if (typeof opacity !== 'number' || !(opacity >= 0 && opacity <= 1)) invalid('number between 0 and 1', `${prefix}opacity`, opacity);
  return {
    x,
    y,
    scale: Math.round(opacity * 256),
    left: Math.max(x, 0),
    top: Math.max(y, 0),
    right: Math.min(x + overlay.width, target.width),
    bottom: Math.min(y + overlay.height, target.height),
  };
}

/**
 * Fills an image with one color.
 *
 * @example
 * ```ts
 * fillRgba(frame, [0, 0, 0, 255]);
 * ```
 * @param target - the image to fill
 * @param color - the color
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` if the image or color is malformed
 */
export function fillRgba(target: RgbaImage, color: Rgba): RgbaImage {
  checkRgbaImage(target, 'target');
  checkColor(color, 'color');
  const data = target.data;
  data[0] = color[0];
  data[1] = color[1];
  data[2] = color[2];
  data[3] = color[3];
  // Doubling copies: log2(n) memmoves instead of n byte writes.
  for (let filled = 4; filled < data.length; filled *= 2) data.copyWithin(filled, 0, Math.min(filled, data.length - filled));
  return target;
}

/**
 * Checks an RGBA color tuple.
 *
 * @internal
 */
export function checkColor(color: unknown, field: string): Rgba {
  if (!Array.isArray(color) || color.length !== 4 || !color.every((c) => isInteger(c) && c >= 0 && c <= 255)) {
    invalid('[r, g, b, a] with integers 0 to 255', field, color);
  }
  return color as unknown as Rgba;
}
