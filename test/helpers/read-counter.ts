/** Test helper: reads the test pattern's `#seq` counter back from pixels, like OCR. */
import { FONT_CHARACTERS, GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel, testPatternLayout } from '../../src/index.js';

/**
 * Matches each glyph cell at the counter's place against the font, sampling the center of every
 * font pixel of the red channel: ink above `threshold`, background below (a threshold makes it work
 * on JPEG-compressed pictures too). `stride` is the bytes per row (a screenshot may be wider than
 * the frame); returns the text read, '' if none.
 */
export function readCounter(data: Uint8Array, width: number, height: number, stride = width * 4, threshold = 128): string {
  const { fontScale: s, counterX, counterY } = testPatternLayout(width, height);
  const inkAt = (x: number, y: number): boolean => data[y * stride + x * 4]! > threshold;
  let text = '';
  for (let left = counterX + s; left + GLYPH_WIDTH * s <= width; left += GLYPH_ADVANCE * s) {
    const match = [...FONT_CHARACTERS].find((character) => {
      if (character === ' ') return false;
      for (let row = 0; row < GLYPH_HEIGHT; row++) {
        for (let column = 0; column < GLYPH_WIDTH; column++) {
          const x = left + column * s + (s >> 1);
          const y = counterY + s + row * s + (s >> 1);
          if (inkAt(x, y) !== glyphPixel(character, column, row)) return false;
        }
      }
      return true;
    });
    if (match === undefined) break;
    text += match;
  }
  return text;
}
