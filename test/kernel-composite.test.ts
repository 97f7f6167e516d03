import { describe, expect, it } from 'vitest';
import { compositeTiles, createRgbaImage, fillRgba, GeyserError, overlayRgba, tileRect, type Rgba, type RgbaImage } from '../src/index.js';
import { randomImage } from './helpers/pixels.js';

const solid = (width: number, height: number, color: Rgba): RgbaImage => fillRgba(createRgbaImage(width, height), color);
const pixel = (image: RgbaImage, x: number, y: number): number[] => [...image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4)];

describe('compositeTiles', () => {
  it('puts four inputs in a 2x2 grid, each stretched over its cell', () => {
    const colors: Rgba[] = [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255], [9, 9, 9, 255]];
    const wall = createRgbaImage(8, 6);
    compositeTiles(colors.map((c, i) => solid(3 + i, 2 + i, c)), wall);
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 8; x++) expect(pixel(wall, x, y)).toEqual(colors[(y < 3 ? 0 : 2) + (x < 4 ? 0 : 1)]);
    }
  });

  it('fills what no tile covers with the background', () => {
    const wall = createRgbaImage(7, 5);
    compositeTiles([solid(2, 2, [1, 2, 3, 255]), solid(2, 2, [4, 5, 6, 255]), solid(2, 2, [7, 8, 9, 255])], wall, { background: [50, 60, 70, 255] });
    expect(pixel(wall, 0, 0)).toEqual([1, 2, 3, 255]);
    expect(pixel(wall, 3, 0)).toEqual([4, 5, 6, 255]);
    expect(pixel(wall, 0, 2)).toEqual([7, 8, 9, 255]);
    expect(pixel(wall, 3, 2)).toEqual([50, 60, 70, 255]); // no 4th input
    expect(pixel(wall, 6, 0)).toEqual([50, 60, 70, 255]); // the odd column left over by floor(7 / 2)
    expect(pixel(wall, 0, 4)).toEqual([50, 60, 70, 255]); // the odd row
  });

  it('lays tiles out in the requested number of columns', () => {
    expect(tileRect(4, 3, 2, 300, 100)).toEqual({ x: 100, y: 50, width: 100, height: 50 });
    const strip = createRgbaImage(6, 1);
    compositeTiles([solid(1, 1, [1, 1, 1, 255]), solid(1, 1, [2, 2, 2, 255]), solid(1, 1, [3, 3, 3, 255])], strip, { columns: 3 });
    expect([0, 1, 2, 3, 4, 5].map((x) => pixel(strip, x, 0)[0])).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it.each([
    [[], {}, 'Expected a non-empty array of images for inputs but received an array of length 0'],
    [[createRgbaImage(1, 1)], { columns: 2 }, 'Expected integer between 1 and 1 for columns but received 2 of type number'],
    [[createRgbaImage(1, 1)], { background: [0, 0, 0] }, 'Expected [r, g, b, a] with integers 0 to 255 for background but received an array of length 3'],
  ])('rejects bad arguments (%#)', (inputs, options, message) => {
    expect(() => compositeTiles(inputs, createRgbaImage(4, 4), options as never)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});

describe('overlayRgba', () => {
  /** The documented blend, one pixel at a time. */
  function referenceOverlay(base: RgbaImage, top: RgbaImage, x0: number, y0: number, opacity: number): Uint8Array {
    const out = Uint8Array.from(base.data);
    const scale = Math.round(opacity * 256);
    for (let y = 0; y < top.height; y++) {
      for (let x = 0; x < top.width; x++) {
        const [tx, ty] = [x + x0, y + y0];
        if (tx < 0 || ty < 0 || tx >= base.width || ty >= base.height) continue;
        const s = (y * top.width + x) * 4;
        const d = (ty * base.width + tx) * 4;
        const a = Math.floor((top.data[s + 3]! * scale) / 256);
        for (let c = 0; c < 3; c++) out[d + c] = Math.floor((top.data[s + c]! * a + base.data[d + c]! * (255 - a) + 127) / 255);
        out[d + 3] = a + Math.floor((base.data[d + 3]! * (255 - a) + 127) / 255);
      }
    }
    return out;
  }

  it.each([
    [5, 7, 1],
    [-4, -3, 1],
    [30, 20, 0.5],
    [0, 0, 0.25],
  ])('blends noise at (%i, %i) with opacity %f exactly as documented, clipping at the edges', (x, y, opacity) => {
    const base = randomImage(40, 30, 1);
    const top = randomImage(16, 12, 2);
    const expected = referenceOverlay(base, top, x, y, opacity);
    overlayRgba(base, top, { x, y, opacity });
    expect(Buffer.from(base.data).equals(Buffer.from(expected))).toBe(true);
  });

  it('replaces pixels under an opaque overlay and leaves them under a transparent one', () => {
    const base = solid(4, 4, [10, 20, 30, 255]);
    overlayRgba(base, solid(2, 2, [200, 100, 50, 255]), { x: 1, y: 1 });
    overlayRgba(base, solid(4, 1, [1, 1, 1, 0]), { x: 0, y: 0 });
    expect(pixel(base, 1, 1)).toEqual([200, 100, 50, 255]);
    expect(pixel(base, 0, 0)).toEqual([10, 20, 30, 255]);
    expect(pixel(base, 3, 3)).toEqual([10, 20, 30, 255]);
  });

  it.each([
    [{ x: 1.5 }, 'Expected integer for x but received 1.5 of type number'],
    [{ opacity: 2 }, 'Expected number between 0 and 1 for opacity but received 2 of type number'],
    [{ opacity: Number.NaN }, 'Expected number between 0 and 1 for opacity but received NaN of type number'],
  ])('rejects bad options (%o)', (options, message) => {
    expect(() => overlayRgba(createRgbaImage(2, 2), createRgbaImage(1, 1), options)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});
