import { describe, expect, it } from 'vitest';
import { createRgbaImage, GeyserError, scaleBilinear, type RgbaImage } from '../src/index.js';
import { maxDifference, randomImage, smoothImage } from './helpers/pixels.js';

/** Float bilinear with aligned pixel centers and clamped edges, one target pixel at a time. */
function referenceScale(source: RgbaImage, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  const clamp = (v: number, max: number): number => Math.min(Math.max(v, 0), max);
  for (let y = 0; y < height; y++) {
    const sy = clamp(((y + 0.5) * source.height) / height - 0.5, source.height - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, source.height - 1);
    for (let x = 0; x < width; x++) {
      const sx = clamp(((x + 0.5) * source.width) / width - 0.5, source.width - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, source.width - 1);
      for (let c = 0; c < 4; c++) {
        const at = (xx: number, yy: number): number => source.data[(yy * source.width + xx) * 4 + c]!;
        const top = at(x0, y0) * (1 - (sx - x0)) + at(x1, y0) * (sx - x0);
        const bottom = at(x0, y1) * (1 - (sx - x0)) + at(x1, y1) * (sx - x0);
        out[(y * width + x) * 4 + c] = Math.round(top * (1 - (sy - y0)) + bottom * (sy - y0));
      }
    }
  }
  return out;
}

describe('scaleBilinear', () => {
  // Tolerance: 1 level per channel (11-bit fixed-point weights against float weights, then rounding).
  it.each([
    [64, 48, 128, 96],
    [64, 48, 31, 17],
    [97, 61, 200, 9],
    [1, 1, 5, 3],
    [7, 1, 3, 4],
    [320, 180, 1280, 720],
  ])('is within 1 level of float bilinear from %ix%i to %ix%i on noise', (sw, sh, tw, th) => {
    const source = randomImage(sw, sh, sw * 31 + sh);
    const target = createRgbaImage(tw, th);
    scaleBilinear(source, target);
    expect(maxDifference(target.data, referenceScale(source, tw, th))).toBeLessThanOrEqual(1);
  });

  it('copies exactly when the size does not change', () => {
    const source = randomImage(33, 21, 3);
    const target = createRgbaImage(33, 21);
    scaleBilinear(source, target);
    expect(Buffer.from(target.data).equals(Buffer.from(source.data))).toBe(true);
  });

  it('keeps a smooth gradient smooth when shrinking 1080p to 360p', () => {
    const source = smoothImage(1920, 1080);
    const target = createRgbaImage(640, 360);
    scaleBilinear(source, target);
    expect(maxDifference(target.data, referenceScale(source, 640, 360))).toBeLessThanOrEqual(1);
  });

  it('writes only the given rectangle', () => {
    const target = createRgbaImage(10, 10);
    const source = { data: new Uint8Array(4 * 4).fill(200), width: 2, height: 2 };
    scaleBilinear(source, target, { x: 3, y: 4, width: 5, height: 2 });
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 10; x++) {
        const inside = x >= 3 && x < 8 && y >= 4 && y < 6;
        expect(target.data[(y * 10 + x) * 4]).toBe(inside ? 200 : 0);
      }
    }
  });

  it.each([
    [{ x: 8, y: 0, width: 5, height: 1 }, 'Expected integer between 1 and 2 for rect.width but received 5 of type number'],
    [{ x: -1, y: 0, width: 1, height: 1 }, 'Expected integer between 0 and 9 for rect.x but received -1 of type number'],
    [{ x: 0, y: 0, width: 1, height: 0.5 }, 'Expected integer between 1 and 10 for rect.height but received 0.5 of type number'],
  ])('rejects a rectangle outside the target (%o)', (rect, message) => {
    expect(() => scaleBilinear(createRgbaImage(2, 2), createRgbaImage(10, 10), rect)).toThrow(new GeyserError('InvalidDescriptor', message));
  });

  it('refuses to scale an image into its own memory', () => {
    const image = createRgbaImage(4, 4);
    const half = { data: image.data.subarray(0, 16), width: 2, height: 2 };
    expect(() => scaleBilinear(image, half)).toThrow(new GeyserError('InvalidDescriptor', 'Expected target memory separate from source but they overlap'));
  });
});
