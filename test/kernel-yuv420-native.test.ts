import { describe, expect, it } from 'vitest';
import { createTextureShareManager, GeyserError, rgbaToYuv420, rgbaToYuv420Async, rgbaToYuv420Native, yuv420ByteLength, type RgbaImage, type Yuv420Layout, type YuvMatrix } from '../src/index.js';
import { randomImage } from './helpers/pixels.js';

const LAYOUTS: Yuv420Layout[] = ['i420', 'nv12'];
const MATRICES: YuvMatrix[] = ['bt709', 'bt601'];
// Widths around the vector loop's 16-pixel step (remainders 0, 1, 2, 15), odd heights, tiny and HD.
const SIZES: Array<[number, number]> = [
  [1, 1], [2, 2], [3, 2], [15, 3], [16, 2], [17, 5], [31, 4], [32, 1], [33, 7], [50, 6], [641, 359], [1920, 1080],
];

function reference(image: RgbaImage, layout: Yuv420Layout, matrix: YuvMatrix): Uint8Array {
  return rgbaToYuv420(image, new Uint8Array(yuv420ByteLength(image.width, image.height)), layout, matrix);
}

/** Pictures that reach every extreme of the arithmetic: random, all black, all white, pure primaries. */
function pictures(width: number, height: number, seed: number): RgbaImage[] {
  const flat = (rgba: number[]): RgbaImage => {
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i += 4) data.set(rgba, i);
    return { data, width, height };
  };
  return [randomImage(width, height, seed), flat([0, 0, 0, 255]), flat([255, 255, 255, 255]), flat([255, 0, 0, 0]), flat([0, 255, 0, 0]), flat([0, 0, 255, 0])];
}

describe('rgbaToYuv420Native and rgbaToYuv420Async', () => {
  it('give the JS reference kernel byte for byte: every layout, matrix and size around the vector step', async () => {
    for (const [width, height] of SIZES) {
      for (const [index, image] of pictures(width, height, width * 31 + height).entries()) {
        for (const layout of LAYOUTS) {
          for (const matrix of MATRICES) {
            const expected = reference(image, layout, matrix);
            const sync = rgbaToYuv420Native(image, new Uint8Array(expected.length), layout, matrix);
            expect(Buffer.compare(sync, expected), `${width}x${height} picture ${index} ${layout} ${matrix} (sync)`).toBe(0);
            const banded = await rgbaToYuv420Async(image, new Uint8Array(expected.length), layout, matrix, { threads: 3 });
            expect(Buffer.compare(banded, expected), `${width}x${height} picture ${index} ${layout} ${matrix} (3 threads)`).toBe(0);
          }
        }
      }
    }
  });

  it('runs several conversions at once, each into its own target, with any thread count', async () => {
    const image = randomImage(1280, 720, 7);
    const expected = reference(image, 'i420', 'bt709');
    const results = await Promise.all([1, 2, 4, 8, 64].map((threads) => rgbaToYuv420Async(image, new Uint8Array(expected.length), 'i420', 'bt709', { threads })));
    for (const result of results) expect(Buffer.compare(result, expected)).toBe(0);
  });

  it('names what is wrong with bad input, before any native work', async () => {
    const image = randomImage(4, 4, 1);
    expect(() => rgbaToYuv420Native(image, new Uint8Array(10), 'i420')).toThrow(new GeyserError('InvalidDescriptor', 'Expected 24 bytes (4x4 4:2:0) for target but received 10 bytes'));
    await expect(rgbaToYuv420Async(image, new Uint8Array(24), 'yuyv' as Yuv420Layout)).rejects.toThrow("Expected one of nv12, i420 for layout but received 'yuyv' of type string");
    await expect(rgbaToYuv420Async(image, new Uint8Array(24), 'i420', 'bt709', { threads: 0 })).rejects.toThrow('Expected integer between 1 and 64 for threads but received 0 of type number');
    await expect(rgbaToYuv420Async({ data: new Uint8Array(8), width: 4, height: 4 }, new Uint8Array(24), 'i420')).rejects.toThrow(GeyserError);
  });

  it('survives the source texture being released while the conversion runs off the JS thread', async () => {
    const manager = await createTextureShareManager({ backend: 'host' });
    const [width, height] = [3840, 2160];
    const texture = manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] });
    const view = manager.mapTexture!(texture);
    view.fill(200);
    const target = new Uint8Array(yuv420ByteLength(width, height));
    const converting = rgbaToYuv420Async({ data: view, width, height }, target, 'i420', 'bt709', { threads: 2 });
    // The pages go away under the running bands: they must read zeros, not fault.
    texture.release();
    await expect(converting).resolves.toBe(target);
    expect(view.length).toBe(0);
    manager.dispose();
  });
});
