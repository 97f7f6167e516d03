import { describe, expect, it } from 'vitest';
import { BAR_COLORS, createRgbaImage, drawTestPattern, drawText, FONT_CHARACTERS, GeyserError, GLYPH_ADVANCE, glyphPixel, testPatternLayout, verifyChecksum, type RgbaImage } from '../src/index.js';
import { readCounter } from './helpers/read-counter.js';

describe('drawTestPattern', () => {
  it('stamps each frame so verifyChecksum tells its seq back', () => {
    const frame = createRgbaImage(320, 180);
    for (const seq of [0, 1, 59, 1000, 2 ** 32 - 1]) {
      drawTestPattern(frame, seq);
      expect(verifyChecksum(frame.data, 320, 180)).toEqual({ seq, ok: true });
    }
  });

  it('shows a readable frame counter', () => {
    const frame = createRgbaImage(640, 360);
    for (const seq of [0, 7, 42, 12345]) {
      drawTestPattern(frame, seq);
      expect(readCounter(frame.data, frame.width, frame.height)).toBe(`#${seq}`);
    }
  });

  it('is deterministic for a seq and different for the next one', () => {
    const [a, b, c] = [createRgbaImage(64, 48), createRgbaImage(64, 48), createRgbaImage(64, 48)];
    drawTestPattern(a, 5);
    drawTestPattern(b, 5);
    drawTestPattern(c, 6);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    expect(Buffer.from(a.data).equals(Buffer.from(c.data))).toBe(false);
  });

  it('scrolls the bars left by barStep pixels per frame', () => {
    const [first, next] = [createRgbaImage(240, 100), createRgbaImage(240, 100)];
    drawTestPattern(first, 3);
    drawTestPattern(next, 4);
    const { barStep, barsHeight } = testPatternLayout(240, 100);
    const y = barsHeight - 1;
    const row = (image: RgbaImage): number[] => [...image.data.subarray(y * 240 * 4, (y + 1) * 240 * 4)];
    const shifted = row(first).slice(barStep * 4).concat(row(first).slice(0, barStep * 4));
    expect(row(next)).toEqual(shifted);
    const colors = new Set(BAR_COLORS.map((c) => c.join()));
    for (let x = 0; x < 240; x++) expect(colors.has(row(first).slice(x * 4, x * 4 + 4).join())).toBe(true);
  });

  it('draws a gray ramp from black to white under the bars', () => {
    const frame = createRgbaImage(256, 64);
    drawTestPattern(frame, 0);
    const y = 63;
    expect([...frame.data.subarray(y * 1024, y * 1024 + 4)]).toEqual([0, 0, 0, 255]);
    expect([...frame.data.subarray(y * 1024 + 255 * 4, y * 1024 + 256 * 4)]).toEqual([255, 255, 255, 255]);
  });

  it('rejects a seq the stamp cannot hold', () => {
    expect(() => drawTestPattern(createRgbaImage(8, 8), 1.5)).toThrow(new GeyserError('InvalidDescriptor', 'Expected integer between 0 and 4294967295 for seq but received 1.5 of type number'));
  });
});

describe('drawText', () => {
  it('draws glyph pixels as scale x scale squares and leaves the rest alone', () => {
    const image = createRgbaImage(12, 14);
    const width = drawText(image, '1', 0, 0, 2, [255, 255, 255, 255]);
    expect(width).toBe(GLYPH_ADVANCE * 2);
    for (let y = 0; y < 14; y++) {
      for (let x = 0; x < 10; x++) expect(image.data[(y * 12 + x) * 4] === 255).toBe(glyphPixel('1', x >> 1, y >> 1));
    }
  });

  it('rejects characters the font lacks', () => {
    expect(() => drawText(createRgbaImage(8, 8), 'A1', 0, 0, 1, [0, 0, 0, 255])).toThrow(
      new GeyserError('InvalidDescriptor', `Expected characters from '${FONT_CHARACTERS}' for text but received 'A1' of type string`),
    );
  });
});
