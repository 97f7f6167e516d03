import { describe, expect, it } from 'vitest';
import { createRgbaImage, GeyserError, rgbaToYuv420, yuv420ByteLength, YUV_COEFFICIENTS, type RgbaImage, type YuvMatrix } from '../src/index.js';
import { ffmpeg, maxDifference, randomImage, smoothImage } from './helpers/pixels.js';

/** Converts one flat color and returns its [Y, U, V]. */
function convertColor(rgb: readonly number[], matrix: YuvMatrix): number[] {
  const image = createRgbaImage(2, 2);
  for (let p = 0; p < 4; p++) image.data.set([...rgb, 255], p * 4);
  const out = rgbaToYuv420(image, new Uint8Array(yuv420ByteLength(2, 2)), 'i420', matrix);
  return [out[0]!, out[4]!, out[5]!];
}

/**
 * The documented formula, written plainly: planes in I420 order; chroma from each 2x2 block's
 * sums, edge pixels repeated for odd sizes.
 */
function referenceI420(source: RgbaImage, matrix: YuvMatrix): Uint8Array {
  const k = YUV_COEFFICIENTS[matrix];
  const { width, height, data } = source;
  const out = new Uint8Array(yuv420ByteLength(width, height));
  const px = (x: number, y: number, c: number): number => data[(Math.min(y, height - 1) * width + Math.min(x, width - 1)) * 4 + c]!;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      out[y * width + x] = Math.floor((k.yr * px(x, y, 0) + k.yg * px(x, y, 1) + k.yb * px(x, y, 2) + 16 * 65536 + 32768) / 65536);
    }
  }
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  for (let by = 0; by < ch; by++) {
    for (let bx = 0; bx < cw; bx++) {
      const sum = (c: number): number => px(2 * bx, 2 * by, c) + px(2 * bx + 1, 2 * by, c) + px(2 * bx, 2 * by + 1, c) + px(2 * bx + 1, 2 * by + 1, c);
      const [r, g, b] = [sum(0), sum(1), sum(2)];
      out[width * height + by * cw + bx] = Math.floor((k.ur * r + k.ug * g + k.ub * b + 128 * 262144 + 131072) / 262144);
      out[width * height + cw * ch + by * cw + bx] = Math.floor((k.vr * r + k.vg * g + k.vb * b + 128 * 262144 + 131072) / 262144);
    }
  }
  return out;
}

/** Reorders I420 planes into NV12. */
function i420ToNv12(i420: Uint8Array, width: number, height: number): Uint8Array {
  const luma = width * height;
  const chroma = Math.ceil(width / 2) * Math.ceil(height / 2);
  const out = new Uint8Array(i420.length);
  out.set(i420.subarray(0, luma));
  for (let i = 0; i < chroma; i++) {
    out[luma + 2 * i] = i420[luma + i]!;
    out[luma + 2 * i + 1] = i420[luma + chroma + i]!;
  }
  return out;
}

describe('rgbaToYuv420', () => {
  it.each([
    ['bt709', [255, 255, 255], [235, 128, 128]],
    ['bt709', [0, 0, 0], [16, 128, 128]],
    ['bt709', [128, 128, 128], [126, 128, 128]],
    ['bt709', [255, 0, 0], [63, 102, 240]],
    ['bt709', [0, 255, 0], [173, 42, 26]],
    ['bt709', [0, 0, 255], [32, 240, 118]],
    ['bt601', [255, 0, 0], [81, 90, 240]],
    ['bt601', [0, 255, 0], [145, 54, 34]],
    ['bt601', [0, 0, 255], [41, 240, 110]],
  ] as const)('maps %s %o to the standard limited-range YUV %o', (matrix, rgb, yuv) => {
    expect(convertColor(rgb, matrix)).toEqual(yuv);
  });

  it.each([
    [64, 36, 'bt709'],
    [33, 17, 'bt709'],
    [1, 1, 'bt601'],
    [5, 8, 'bt601'],
  ] as const)('matches the plain formula exactly on %ix%i noise (%s), as I420 and NV12', (width, height, matrix) => {
    const source = randomImage(width, height, width + height);
    const expected = referenceI420(source, matrix);
    const i420 = rgbaToYuv420(source, new Uint8Array(yuv420ByteLength(width, height)), 'i420', matrix);
    expect(Buffer.from(i420).equals(Buffer.from(expected))).toBe(true);
    const nv12 = rgbaToYuv420(source, new Uint8Array(yuv420ByteLength(width, height)), 'nv12', matrix);
    expect(Buffer.from(nv12).equals(Buffer.from(i420ToNv12(expected, width, height)))).toBe(true);
  });

  it('keeps luma within 0.51 of the float BT.709 definition on noise (rounding plus 16-bit fixed point)', () => {
    const source = randomImage(128, 64, 5);
    const out = rgbaToYuv420(source, new Uint8Array(yuv420ByteLength(128, 64)), 'i420');
    let worst = 0;
    for (let p = 0; p < 128 * 64; p++) {
      const [r, g, b] = [source.data[p * 4]!, source.data[p * 4 + 1]!, source.data[p * 4 + 2]!];
      const ideal = 16 + (219 / 255) * (0.2126 * r + 0.7152 * g + 0.0722 * b);
      worst = Math.max(worst, Math.abs(out[p]! - ideal));
    }
    expect(worst).toBeLessThanOrEqual(0.51);
  });

  // ffmpeg's swscale (accurate rounding) is an independent implementation; chroma siting differs
  // (it filters, we average 2x2), so chroma is compared on smooth content, tolerance 1 level.
  it.each(['bt709', 'bt601'] as const)('agrees with ffmpeg within 1 level (%s) on a smooth image', (matrix) => {
    const source = smoothImage(64, 32);
    const ours = rgbaToYuv420(source, new Uint8Array(yuv420ByteLength(64, 32)), 'i420', matrix);
    const theirs = ffmpeg(
      ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', '64x32', '-i', '-', '-vf', `scale=out_color_matrix=${matrix}:out_range=tv:flags=accurate_rnd+full_chroma_int+bitexact`, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-'],
      source.data,
    );
    expect(maxDifference(ours, theirs)).toBeLessThanOrEqual(1);
  });

  it('decodes back through ffmpeg to within 8 levels of the original (4:2:0 loses chroma detail)', () => {
    const source = smoothImage(64, 32);
    const nv12 = rgbaToYuv420(source, new Uint8Array(yuv420ByteLength(64, 32)), 'nv12');
    const back = ffmpeg(
      ['-f', 'rawvideo', '-pix_fmt', 'nv12', '-s', '64x32', '-i', '-', '-vf', 'scale=in_color_matrix=bt709:in_range=tv:flags=accurate_rnd+full_chroma_int', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-'],
      nv12,
    );
    expect(maxDifference(back, source.data)).toBeLessThanOrEqual(8);
  });

  it('sizes frames at 12 bits per pixel, rounding chroma up for odd sizes', () => {
    expect(yuv420ByteLength(1920, 1080)).toBe(3_110_400);
    expect(yuv420ByteLength(3, 3)).toBe(9 + 2 * 4);
  });

  it.each([
    [new Uint8Array(10), 'nv12', 'bt709', 'Expected 6 bytes (2x2 4:2:0) for target but received 10 bytes'],
    [new Uint8Array(6), 'yuyv', 'bt709', "Expected one of nv12, i420 for layout but received 'yuyv' of type string"],
    [new Uint8Array(6), 'i420', 'bt2020', "Expected one of bt709, bt601 for matrix but received 'bt2020' of type string"],
  ])('rejects bad arguments (%#)', (target, layout, matrix, message) => {
    expect(() => rgbaToYuv420(createRgbaImage(2, 2), target, layout as 'nv12', matrix as 'bt709')).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});
