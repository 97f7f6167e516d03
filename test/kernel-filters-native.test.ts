import { describe, expect, it } from 'vitest';
import { boxBlur, boxBlurNative, createRgbaImage, GeyserError, scaleBilinear, scaleBilinearNative, type PixelRect, type RgbaImage } from '../src/index.js';
import { compositeTiles } from '../src/index.js';
import { compositeTilesWith } from '../src/nodes/kernels/composite.js';
import { randomImage } from './helpers/pixels.js';

function blank(width: number, height: number): RgbaImage {
  return createRgbaImage(width, height);
}

/** Runs the JS kernel and its native twin on the same arguments and checks both throw the same GeyserError. */
function expectSameError(js: () => unknown, nativeCall: () => unknown): void {
  let expected: unknown;
  try {
    js();
  } catch (error) {
    expected = error;
  }
  expect(expected).toBeInstanceOf(GeyserError);
  expect(nativeCall).toThrow(expected as GeyserError);
}

describe('boxBlurNative', () => {
  it('gives the JS reference kernel byte for byte: sizes, radii up to 255, edges wider than the image', () => {
    const sizes: Array<[number, number]> = [[1, 1], [2, 3], [7, 5], [33, 17], [640, 360]];
    for (const [width, height] of sizes) {
      const image = randomImage(width, height, width * 7 + height);
      for (const radius of [0, 1, 2, 5, 40, 255]) {
        const expected = boxBlur(image, blank(width, height), radius);
        const actual = boxBlurNative(image, blank(width, height), radius);
        expect(Buffer.compare(actual.data, expected.data), `${width}x${height} r=${radius}`).toBe(0);
      }
    }
  });

  it('reaches the extremes of the rounding: all-white and all-black boxes, at the largest radius', () => {
    for (const value of [0, 255]) {
      const image = { data: new Uint8Array(300 * 200 * 4).fill(value), width: 300, height: 200 };
      expect(Buffer.compare(boxBlurNative(image, blank(300, 200), 255).data, image.data)).toBe(0);
    }
  });

  it('blurs in place, and into a view overlapping the source, as the JS kernel does', () => {
    const image = randomImage(129, 65, 3);
    const expected = boxBlur(image, blank(129, 65), 3);
    const inPlace = { ...image, data: image.data.slice() };
    boxBlurNative(inPlace, inPlace, 3);
    expect(Buffer.compare(inPlace.data, expected.data)).toBe(0);
    // Overlapping by a row: the source is read in full before the first write, in both kernels.
    const backing = new Uint8Array((129 * 66) * 4);
    backing.set(image.data);
    const jsBacking = backing.slice();
    const at = (bytes: Uint8Array, row: number): RgbaImage => ({ data: bytes.subarray(row * 129 * 4, (row + 65) * 129 * 4), width: 129, height: 65 });
    boxBlur(at(jsBacking, 0), at(jsBacking, 1), 3);
    boxBlurNative(at(backing, 0), at(backing, 1), 3);
    expect(Buffer.compare(backing, jsBacking)).toBe(0);
  });

  it('rejects bad input with the JS kernel\'s messages', () => {
    const image = randomImage(4, 4, 1);
    expectSameError(() => boxBlur(image, blank(4, 4), 256), () => boxBlurNative(image, blank(4, 4), 256));
    expectSameError(() => boxBlur(image, blank(4, 4), 1.5), () => boxBlurNative(image, blank(4, 4), 1.5));
    expectSameError(() => boxBlur(image, blank(2, 4), 1), () => boxBlurNative(image, blank(2, 4), 1));
  });
});

describe('scaleBilinearNative', () => {
  it('gives the JS reference kernel byte for byte: down, up, odd ratios, one-pixel axes', () => {
    const cases: Array<[[number, number], [number, number]]> = [
      [[1920, 1080], [640, 360]], [[640, 360], [1920, 1080]], [[33, 17], [7, 40]], [[1, 1], [5, 3]],
      [[5, 1], [1, 9]], [[100, 100], [99, 101]], [[641, 359], [640, 360]], [[2, 2], [2, 3]],
    ];
    for (const [[sw, sh], [tw, th]] of cases) {
      const image = randomImage(sw, sh, sw + 3 * sh);
      const expected = scaleBilinear(image, blank(tw, th));
      expect(Buffer.compare(scaleBilinearNative(image, blank(tw, th)).data, expected.data), `${sw}x${sh} -> ${tw}x${th}`).toBe(0);
    }
  });

  it('writes only its rectangle of the target, as the JS kernel does (tiles, a copy at the same size)', () => {
    const image = randomImage(64, 48, 9);
    const rects: PixelRect[] = [{ x: 0, y: 0, width: 32, height: 24 }, { x: 31, y: 23, width: 33, height: 25 }, { x: 5, y: 7, width: 64, height: 41 }, { x: 0, y: 0, width: 64, height: 48 }];
    for (const rect of rects) {
      const backdrop = randomImage(100, 90, 4);
      const expected = scaleBilinear(image, { ...backdrop, data: backdrop.data.slice() }, rect);
      const actual = scaleBilinearNative(image, { ...backdrop, data: backdrop.data.slice() }, rect);
      expect(Buffer.compare(actual.data, expected.data), JSON.stringify(rect)).toBe(0);
    }
  });

  it('rejects bad input with the JS kernel\'s messages', () => {
    const image = randomImage(8, 8, 2);
    expectSameError(() => scaleBilinear(image, image), () => scaleBilinearNative(image, image));
    expectSameError(() => scaleBilinear(image, blank(4, 4), { x: 3, y: 0, width: 2, height: 1 }), () => scaleBilinearNative(image, blank(4, 4), { x: 3, y: 0, width: 2, height: 1 }));
    expectSameError(() => scaleBilinear(image, blank(4, 4), { x: 0, y: -1, width: 2, height: 1 }), () => scaleBilinearNative(image, blank(4, 4), { x: 0, y: -1, width: 2, height: 1 }));
    expectSameError(() => scaleBilinear({ data: new Uint8Array(3), width: 8, height: 8 }, blank(4, 4)), () => scaleBilinearNative({ data: new Uint8Array(3), width: 8, height: 8 }, blank(4, 4)));
  });
});

describe('compositeTilesWith(scaleBilinearNative), the composite node\'s CPU path', () => {
  it('tiles exactly as compositeTiles (the JS reference) does, for grids that stretch each input differently', () => {
    const inputs = [randomImage(64, 36, 1), randomImage(33, 17, 2), randomImage(48, 48, 3), randomImage(7, 90, 4), randomImage(200, 3, 5)];
    for (const columns of [1, 2, 3, 5]) {
      const expected = compositeTiles(inputs, blank(211, 97), { columns, background: [9, 8, 7, 6] });
      const actual = compositeTilesWith(scaleBilinearNative, inputs, blank(211, 97), { columns, background: [9, 8, 7, 6] });
      expect(Buffer.compare(actual.data, expected.data), `${columns} columns`).toBe(0);
    }
  });
});
