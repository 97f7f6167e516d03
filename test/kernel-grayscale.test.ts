import { describe, expect, it } from 'vitest';
import { createRgbaImage, GeyserError, grayscaleRgba } from '../src/index.js';
import { randomImage } from './helpers/pixels.js';

/** The reference: BT.709 luma of each pixel, one pixel at a time, exact rational rounding half up. */
function referenceGray(source: Uint8Array): Uint8Array {
  const out = new Uint8Array(source.length);
  for (let p = 0; p < source.length; p += 4) {
    const numerator = 2126 * source[p]! + 7152 * source[p + 1]! + 722 * source[p + 2]!;
    const y = Math.floor((numerator + 5000) / 10000);
    out.set([y, y, y, source[p + 3]!], p);
  }
  return out;
}

describe('grayscaleRgba', () => {
  it('gives the BT.709 luma of pure colors and keeps alpha', () => {
    const image = createRgbaImage(4, 1);
    image.data.set([255, 0, 0, 255, 0, 255, 0, 200, 0, 0, 255, 7, 255, 255, 255, 0]);
    grayscaleRgba(image, image);
    expect([...image.data]).toEqual([54, 54, 54, 255, 182, 182, 182, 200, 18, 18, 18, 7, 255, 255, 255, 0]);
  });

  it('matches the per-pixel reference exactly on noise, out of place and in place', () => {
    const source = randomImage(257, 131, 7);
    const expected = referenceGray(source.data);
    const target = createRgbaImage(257, 131);
    grayscaleRgba(source, target);
    expect(Buffer.from(target.data).equals(Buffer.from(expected))).toBe(true);
    grayscaleRgba(source, source);
    expect(Buffer.from(source.data).equals(Buffer.from(expected))).toBe(true);
  });

  it('rounds every one of the 2^24 colors to within half a level of 0.2126 R + 0.7152 G + 0.0722 B', () => {
    const image = createRgbaImage(4096, 4096);
    for (let c = 0; c < 1 << 24; c++) image.data.set([c >> 16, (c >> 8) & 255, c & 255, 255], c * 4);
    grayscaleRgba(image, image);
    let worst = 0;
    for (let c = 0; c < 1 << 24; c++) {
      const ideal = 0.2126 * (c >> 16) + 0.7152 * ((c >> 8) & 255) + 0.0722 * (c & 255);
      worst = Math.max(worst, Math.abs(image.data[c * 4]! - ideal));
    }
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-9);
  });

  it.each([
    [{ data: new Uint8Array(8), width: 3, height: 1 }, createRgbaImage(3, 1), 'Expected 12 bytes (3x1x4) for source.data but received 8 bytes'],
    [{ data: new Uint8Array(4), width: 0, height: 1 }, createRgbaImage(1, 1), 'Expected integer between 1 and 16384 for source.width but received 0 of type number'],
    [createRgbaImage(2, 2), createRgbaImage(2, 1), 'Expected target of 2x2 (the source size) but received 2x1'],
    [null, createRgbaImage(1, 1), 'Expected an RgbaImage { data, width, height } for source but received null'],
    [{ data: [0, 0, 0, 0], width: 1, height: 1 }, createRgbaImage(1, 1), 'Expected a Uint8Array for source.data but received an array of length 4'],
  ])('rejects bad input with a message naming the field (%#)', (source, target, message) => {
    expect(() => grayscaleRgba(source as never, target)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});
