import { describe, expect, it } from 'vitest';
import { crc32, GeyserError, stampChecksum, verifyChecksum } from '../src/index.js';
import { crc32Portable } from '../src/nodes/kernels/crc32.js';
import { randomImage } from './helpers/pixels.js';

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32Portable(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('continues across chunks, and the portable table agrees with zlib', () => {
    const bytes = randomImage(100, 10, 4).data;
    const whole = crc32(bytes);
    expect(crc32(bytes.subarray(1000), crc32(bytes.subarray(0, 1000)))).toBe(whole);
    expect(crc32Portable(bytes.subarray(1000), crc32Portable(bytes.subarray(0, 1000)))).toBe(whole);
  });
});

describe('stampChecksum and verifyChecksum', () => {
  it('tells back the seq of an intact frame', () => {
    const image = randomImage(16, 9, 1);
    stampChecksum(image.data, 16, 9, 123456789);
    expect(verifyChecksum(image.data, 16, 9)).toEqual({ seq: 123456789, ok: true });
    expect([...image.data.subarray(0, 4)]).toEqual([0x47, 0x59, 0x53, 0x31]);
  });

  it('detects a single flipped bit anywhere below the first row, or in the seq', () => {
    const image = randomImage(16, 9, 2);
    stampChecksum(image.data, 16, 9, 7);
    for (const offset of [16 * 4, 16 * 4 + 3, 200, image.data.length - 1, 4]) {
      image.data[offset]! ^= 0x10;
      expect(verifyChecksum(image.data, 16, 9).ok).toBe(false);
      image.data[offset]! ^= 0x10;
    }
    expect(verifyChecksum(image.data, 16, 9)).toEqual({ seq: 7, ok: true });
  });

  it('reports seq -1 for an image with no stamp', () => {
    expect(verifyChecksum(new Uint8Array(3 * 2 * 4), 3, 2)).toEqual({ seq: -1, ok: false });
  });

  it('is a pure function of the pixels and seq', () => {
    const a = randomImage(5, 5, 3);
    const b = randomImage(5, 5, 3);
    stampChecksum(a.data, 5, 5, 99);
    stampChecksum(b.data, 5, 5, 99);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  it.each([
    [new Uint8Array(2 * 2 * 4), 2, 2, 0, 'Expected width of at least 3 for a checksum stamp but received 2'],
    [new Uint8Array(3 * 1 * 4), 3, 1, 0, 'Expected height of at least 2 for a checksum stamp but received 1'],
    [new Uint8Array(3 * 2 * 4), 3, 2, -1, 'Expected integer between 0 and 4294967295 for seq but received -1 of type number'],
    [new Uint8Array(3 * 2 * 4), 3, 2, 2 ** 32, 'Expected integer between 0 and 4294967295 for seq but received 4294967296 of type number'],
    [new Uint8Array(10), 3, 2, 0, 'Expected 24 bytes (3x2x4) for pixels but received 10 bytes'],
  ])('rejects a bad stamp request (%#)', (pixels, width, height, seq, message) => {
    expect(() => stampChecksum(pixels, width, height, seq)).toThrow(new GeyserError('InvalidDescriptor', message));
  });
});
