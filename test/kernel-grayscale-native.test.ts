import { describe, expect, it } from 'vitest';
import { GeyserError, grayscaleRgba, grayscaleRgbaNative, type RgbaImage } from '../src/index.js';
import { randomImage } from './helpers/pixels.js';

// Widths around the vector loop's 8-pixel step (remainders 0, 1 and 7), odd heights, tiny and HD.
const SIZES: Array<[number, number]> = [
  [1, 1], [7, 1], [8, 1], [9, 3], [15, 2], [16, 2], [17, 5], [641, 359], [1920, 1080],
];

function copyOf(image: RgbaImage): RgbaImage {
  return { data: image.data.slice(), width: image.width, height: image.height };
}

function blank(image: RgbaImage): RgbaImage {
  return { data: new Uint8Array(image.data.length), width: image.width, height: image.height };
}

describe('grayscaleRgbaNative', () => {
  it('gives the JS reference kernel byte for byte for every one of the 2^24 colors, with varied alpha', () => {
    // 4096 x 4096 pixels: pixel i holds the color i (R low byte), and alpha i * 7 mod 256.
    const image: RgbaImage = { data: new Uint8Array(4096 * 4096 * 4), width: 4096, height: 4096 };
    const words = new Uint32Array(image.data.buffer);
    for (let i = 0; i < words.length; i++) words[i] = (i | (((i * 7) & 0xff) << 24)) >>> 0;
    const expected = grayscaleRgba(image, blank(image));
    const actual = grayscaleRgbaNative(image, blank(image));
    expect(Buffer.compare(actual.data, expected.data)).toBe(0);
  });

  it('gives the JS reference kernel byte for byte at every size around the vector step', () => {
    for (const [width, height] of SIZES) {
      const image = randomImage(width, height, width * 31 + height);
      const expected = grayscaleRgba(image, blank(image));
      expect(Buffer.compare(grayscaleRgbaNative(image, blank(image)).data, expected.data), `${width}x${height}`).toBe(0);
      // In place, as the JS kernel allows.
      const inPlace = copyOf(image);
      grayscaleRgbaNative(inPlace, inPlace);
      expect(Buffer.compare(inPlace.data, expected.data), `${width}x${height} in place`).toBe(0);
    }
  });

  it('gives the JS result where source and target overlap only partly (the JS pixel order defines it)', () => {
    const width = 33;
    const backing = randomImage(width + 3, 4, 5).data;
    const view = (offset: number): RgbaImage => ({ data: backing.subarray(offset * 4, offset * 4 + width * 4 * 4), width, height: 4 });
    const jsBacking = backing.slice();
    const jsView = (offset: number): RgbaImage => ({ data: jsBacking.subarray(offset * 4, offset * 4 + width * 4 * 4), width, height: 4 });
    grayscaleRgba(jsView(0), jsView(3));
    grayscaleRgbaNative(view(0), view(3));
    expect(Buffer.compare(backing, jsBacking)).toBe(0);
  });

  it('rejects bad input with the same messages as the JS kernel', () => {
    const image = randomImage(4, 4, 1);
    const cases: Array<[unknown, unknown]> = [
      [image, { data: new Uint8Array(16), width: 2, height: 2 }],
      [{ data: new Uint8Array(8), width: 4, height: 4 }, image],
      [image, 'nope'],
    ];
    for (const [source, target] of cases) {
      let expected: unknown;
      try {
        grayscaleRgba(source as RgbaImage, target as RgbaImage);
      } catch (error) {
        expected = error;
      }
      expect(expected).toBeInstanceOf(GeyserError);
      expect(() => grayscaleRgbaNative(source as RgbaImage, target as RgbaImage)).toThrow(expected as GeyserError);
    }
  });
});
