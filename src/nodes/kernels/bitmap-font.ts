/**
 * A 5x7 bitmap font for digits and a few symbols, drawn with integer scaling: enough to stamp a
 * readable frame counter on a test pattern without a font engine.
 *
 * @module
 */
import { checkRgbaImage, type RgbaImage } from './rgba-image.js';
import type { Rgba } from './composite.js';
import { checkIntegerInRange, invalid } from '../../core/validate.js';

/** Glyph width in font pixels. */
export const GLYPH_WIDTH = 5;
/** Glyph height in font pixels. */
export const GLYPH_HEIGHT = 7;
/** Horizontal advance in font pixels (glyph plus one column of spacing). */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

/** Each glyph is 7 rows of 5 bits, most significant bit leftmost. */
const GLYPHS: Readonly<Record<string, readonly number[]>> = {
  '0': [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
  '1': [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
  '2': [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
  '3': [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
  '4': [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
  '5': [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
  '6': [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
  '7': [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
  '8': [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
  '9': [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
  ' ': [0, 0, 0, 0, 0, 0, 0],
  '#': [0b01010, 0b01010, 0b11111, 0b01010, 0b11111, 0b01010, 0b01010],
  ':': [0b00000, 0b01100, 0b01100, 0b00000, 0b01100, 0b01100, 0b00000],
  '-': [0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000],
  '.': [0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100],
  x: [0b00000, 0b00000, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001],
};

/** The characters {@link drawText} can draw. */
export const FONT_CHARACTERS: string = Object.keys(GLYPHS).join('');

/**
 * Whether font pixel (column, row) of `character`'s glyph is set; false outside the glyph.
 *
 * @example
 * ```ts
 * glyphPixel('1', 2, 0); // true: the top of the stem
 * ```
 * @param character - one character of {@link FONT_CHARACTERS}
 * @param column - 0 to 4
 * @param row - 0 to 6
 */
export function glyphPixel(character: string, column: number, row: number): boolean {
  const glyph = GLYPHS[character];
  if (glyph === undefined || column < 0 || column >= GLYPH_WIDTH || row < 0 || row >= GLYPH_HEIGHT) return false;
  return ((glyph[row]! >> (GLYPH_WIDTH - 1 - column)) & 1) === 1;
}

/**
 * Draws `text` with its top-left corner at (x, y), each font pixel a `scale` x `scale` square of
 * `color` (opaque write, no blending); unset font pixels are left as they are. Clipped at the edges.
 *
 * @example
 * ```ts
 * drawText(frame, '#42', 8, 8, 4, [255, 255, 255, 255]);
 * ```
 * @param target - the image drawn on
 * @param text - characters from {@link FONT_CHARACTERS}
 * @param x - left edge in pixels
 * @param y - top edge in pixels
 * @param scale - size of a font pixel, 1 to 256
 * @param color - the ink
 * @returns the width drawn, in pixels (`text.length * 6 * scale`)
 * @throws GeyserError `InvalidDescriptor` for a character the font lacks or a bad argument
 */
export function drawText(target: RgbaImage, text: string, x: number, y: number, scale: number, color: Rgba): number {
  checkRgbaImage(target, 'target');
  checkIntegerInRange(scale, 'scale', 1, 256);
  if (typeof text !== 'string') invalid('a string', 'text', text);
  for (const character of text) {
    if (GLYPHS[character] === undefined) invalid(`characters from '${FONT_CHARACTERS}'`, 'text', text);
  }
  let left = x;
  for (const character of text) {
    const glyph = GLYPHS[character]!;
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      for (let column = 0; column < GLYPH_WIDTH; column++) {
        if ((glyph[row]! >> (GLYPH_WIDTH - 1 - column)) & 1) fillRect(target, left + column * scale, y + row * scale, scale, scale, color);
      }
    }
    left += GLYPH_ADVANCE * scale;
  }
  return left - x;
}

/**
 * Fills a rectangle with `color`, clipped to the image.
 *
 * @internal
 */
export function fillRect(target: RgbaImage, x: number, y: number, width: number, height: number, color: Rgba): void {
  const left = Math.max(x, 0);
  const top = Math.max(y, 0);
  const right = Math.min(x + width, target.width);
  const bottom = Math.min(y + height, target.height);
  const data = target.data;
  for (let row = top; row < bottom; row++) {
    for (let i = (row * target.width + left) * 4, end = (row * target.width + right) * 4; i < end; i += 4) {
      data[i] = color[0];
      data[i + 1] = color[1];
      data[i + 2] = color[2];
      data[i + 3] = color[3];
    }
  }
}
