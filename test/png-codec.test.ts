import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, decodePng, encodePng, GeyserError } from '../src/index.js';
import { ffmpeg, randomImage, smoothImage } from './helpers/pixels.js';

const dir = mkdtempSync(join(tmpdir(), 'geyser-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 24x16 image with noise, gradients and partial alpha, so every filter gets exercised. */
function mixedImage(): { data: Uint8Array; width: number; height: number } {
  const image = smoothImage(24, 16);
  const noise = randomImage(24, 16, 11);
  for (let i = 0; i < image.data.length; i += 4) {
    if ((i >> 2) % 5 === 0) image.data.set(noise.data.subarray(i, i + 4), i);
  }
  return image;
}

/** Rewrites one IHDR byte and fixes the chunk's CRC, to make valid-but-unsupported files. */
function patchHeader(file: Buffer, offsetInBody: number, value: number): Buffer {
  const out = Buffer.from(file);
  out[16 + offsetInBody] = value;
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

describe('encodePng', () => {
  it('round-trips through decodePng byte for byte', () => {
    for (const image of [mixedImage(), randomImage(1, 1, 3), randomImage(333, 7, 4)]) {
      expect(Buffer.from(decodePng(encodePng(image)).data).equals(Buffer.from(image.data))).toBe(true);
    }
  });

  it('writes files ffmpeg decodes to the same pixels', () => {
    const image = mixedImage();
    const path = join(dir, 'ours.png');
    writeFileSync(path, encodePng(image, { level: 9 }));
    expect(ffmpeg(['-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']).equals(Buffer.from(image.data))).toBe(true);
  });

  it('rejects a compression level outside 0..9', () => {
    expect(() => encodePng(randomImage(1, 1), { level: 10 })).toThrow(new GeyserError('InvalidDescriptor', 'Expected integer between 0 and 9 for level but received 10 of type number'));
  });
});

describe('decodePng', () => {
  // ffmpeg's PNG encoder writes each color type with a chosen filter ("pred"); its own decoder is the reference.
  const formats = ['rgba', 'rgb24', 'gray', 'ya8', 'pal8'];
  const predictors = ['none', 'sub', 'up', 'avg', 'paeth', 'mixed'];
  it.each(formats.flatMap((format) => predictors.map((pred) => [format, pred])))('decodes ffmpeg %s PNGs with the %s filter as ffmpeg does', (format, pred) => {
    const source = join(dir, 'source.png');
    writeFileSync(source, encodePng(mixedImage()));
    const path = join(dir, `${format}-${pred}.png`);
    ffmpeg(['-y', '-i', source, '-pix_fmt', format, '-pred', pred!, path]);
    const expected = ffmpeg(['-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
    const image = decodePng(readFileSync(path));
    expect([image.width, image.height]).toEqual([24, 16]);
    expect(Buffer.from(image.data).equals(expected)).toBe(true);
  });

  it.each([
    [(f: Buffer) => f.subarray(0, 7), 'png: not a PNG file (bad signature)'],
    [(f: Buffer) => Buffer.concat([f.subarray(0, 20), Buffer.from([f[20]! ^ 1]), f.subarray(21)]), 'png: CRC mismatch in chunk IHDR at byte 8'],
    [(f: Buffer) => f.subarray(0, 50), 'png: chunk IDAT runs past the end of the file'],
    [(f: Buffer) => f.subarray(0, 33), 'png: truncated before IEND'],
    [(f: Buffer) => patchHeader(f, 9, 5), 'png: unknown color type 5'],
  ])('rejects a corrupt file with a message saying what is wrong (%#)', (corrupt, message) => {
    const file = encodePng(randomImage(4, 4));
    expect(() => decodePng(corrupt(file))).toThrow(new GeyserError('InvalidDescriptor', message));
  });

  it.each([
    [8, 16, 'logo.png: bit depth 16 is not supported (only 8)'],
    [12, 1, 'logo.png: interlaced (Adam7) PNGs are not supported'],
  ])('refuses valid PNGs it does not support, naming the file (%#)', (offset, value, message) => {
    const file = patchHeader(encodePng(randomImage(4, 4)), offset, value);
    expect(() => decodePng(file, 'logo.png')).toThrow(new GeyserError('FormatNotSupported', message));
  });
});
