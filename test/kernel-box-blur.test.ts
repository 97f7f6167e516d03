import { describe, expect, it } from 'vitest';
import { boxBlur, createRgbaImage, GeyserError, type RgbaImage } from '../src/index.js';
import { randomImage } from './helpers/pixels.js';

/** The definition: mean of the (2r+1)^2 box around each pixel, edge pixels repeated, rounded half up. */
function referenceBlur(source: RgbaImage, r: number): Uint8Array {
  const { width, height, data } = source;
  const out = new Uint8Array(data.length);
  const clamp = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = -r; dy <= r; dy++) {
          for (let dx = -r; dx <= r; dx++) sum += data[(clamp(y + dy, height - 1) * width + clamp(x + dx, width - 1)) * 4 + c]!;
        }
        out[(y * width + x) * 4 + c] = Math.floor(sum / (2 * r + 1) ** 2 + 0.5);
      }
    }
  }
  return out;
}

describe('boxBlur', () => {
  it.each([
    [1, 40, 30],
    [3, 40, 30],
    [7, 13, 50],
    [20, 9, 5],
  ])('matches the box mean exactly with radius %i on a %ix%i noise image', (radius, width, height) => {
    const source = randomImage(width, height, radius);
    const target = createRgbaImage(width, height);
    boxBlur(source, target, radius);
    expect(Buffer.from(target.data).equals(Buffer.from(referenceBlur(source, radius)))).toBe(true);
  });

  it('gives the same result in place as out of place', () => {
    const source = randomImage(64, 64, 9);
    const target = createRgbaImage(64, 64);
    boxBlur(source, target, 5);
    boxBlur(source, source, 5);
    expect(Buffer.from(source.data).equals(Buffer.from(target.data))).toBe(true);
  });

  it('copies with radius 0 and leaves a flat image flat with any radius', () => {
    const source = randomImage(8, 8, 2);
    const copy = createRgbaImage(8, 8);
    boxBlur(source, copy, 0);
    expect(Buffer.from(copy.data).equals(Buffer.from(source.data))).toBe(true);
    const flat = { data: new Uint8Array(16 * 16 * 4).fill(77), width: 16, height: 16 };
    boxBlur(flat, flat, 255);
    expect(flat.data.every((v) => v === 77)).toBe(true);
  });

  it.each([
    [-1, 'Expected integer between 0 and 255 for radius but received -1 of type number'],
    [2.5, 'Expected integer between 0 and 255 for radius but received 2.5 of type number'],
    [256, 'Expected integer between 0 and 255 for radius but received 256 of type number'],
    ['3', "Expected integer between 0 and 255 for radius but received '3' of type string"],
  ])('rejects radius %o', (radius, message) => {
    expect(() => boxBlur(createRgbaImage(2, 2), createRgbaImage(2, 2), radius as number)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});
