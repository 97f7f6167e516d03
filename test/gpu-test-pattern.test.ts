// gpuTestPattern draws drawTestPattern's picture on the GPU (lavapipe here), byte for byte, stamp
// included: sizes with odd widths, the smallest stampable 3x2, 1080p, counter boxes clipped at the
// right and bottom edges, and seqs from 0 to 2^32 - 1. The CRC-32 combine it relies on is checked
// against zlib on the CPU first.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRgbaImage, createTextureShareManager, crc32, drawTestPattern, GeyserError, gpuTestPattern, gpuTestPatternAsync, testPatternLayout,
  verifyChecksum, type SharedTexture, type VulkanTextureShareManager,
} from '../src/index.js';
import { applyCrc32Operator, crc32ZeroOperator } from '../src/nodes/kernels/crc32.js';
import { openFdCount, openVulkan } from './vulkan-utils.js';

const NO_VULKAN = await createTextureShareManager({ backend: 'vulkan' }).then(
  (manager) => (manager.dispose(), false),
  () => true,
);
const STORAGE = ['storage-binding', 'copy-src', 'copy-dst'] as const;

/** Index of the first byte where `got` and `want` differ, and the pixel it is in; -1 when equal. */
function firstDifference(got: Uint8Array, want: Uint8Array, width: number): string | -1 {
  if (got.length !== want.length) return `lengths ${got.length} and ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== want[i]) return `byte ${i} (pixel ${(i >> 2) % width}, ${Math.floor(i / 4 / width)}): GPU ${got[i]}, CPU ${want[i]}`;
  }
  return -1;
}

describe('CRC-32 of concatenated pieces from the pieces CRCs (the combine gpuTestPattern uses)', () => {
  it.each([0, 1, 4, 12, 7680])('crc(A + B) = op(len B)(crc A) ^ crc B for %i-byte B', (length) => {
    const a = randomBytes(37);
    const b = randomBytes(length);
    const combined = (applyCrc32Operator(crc32ZeroOperator(length), crc32(a)) ^ crc32(b)) >>> 0;
    expect(combined).toBe(crc32(Buffer.concat([a, b])));
  });

  it('folds rows in order into the CRC stampChecksum writes (seq bytes first)', () => {
    const width = 13;
    const rows = Array.from({ length: 9 }, () => randomBytes(width * 4));
    const operator = crc32ZeroOperator(width * 4);
    let crc = crc32(new Uint8Array([7, 0, 0, 0]));
    for (const row of rows) crc = (applyCrc32Operator(operator, crc) ^ crc32(row)) >>> 0;
    expect(crc).toBe(crc32(Buffer.concat(rows), crc32(new Uint8Array([7, 0, 0, 0]))));
  });
});

describe.skipIf(NO_VULKAN)('gpuTestPattern on Vulkan', () => {
  let manager: VulkanTextureShareManager;
  const made: SharedTexture[] = [];

  function target(width: number, height: number): SharedTexture {
    const texture = manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage: [...STORAGE], label: `pattern ${width}x${height}` });
    made.push(texture);
    return texture;
  }

  beforeAll(async () => {
    manager = await openVulkan();
  });
  afterAll(() => {
    for (const texture of made) texture.release();
    manager?.dispose();
  });

  // [width, height, why]: the counter "#4294967295" is 11 characters, its box (11 * 6 + 1) font
  // pixels wide plus one of margin, 9 high, starting one font pixel in.
  const sizes: Array<[number, number, string]> = [
    [3, 2, 'the smallest stampable frame'],
    [5, 3, 'odd width, counter box clipped right and bottom'],
    [97, 61, 'odd width, font scale 1'],
    [64, 9, 'box clipped at the bottom edge'],
    [40, 150, 'font scale 2, box clipped at the right edge'],
    [33, 800, 'font scale 11, glyphs clipped mid-glyph'],
    [1920, 1080, '1080p, font scale 15'],
  ];
  const seqs = [0, 1, 99999, 2 ** 32 - 1];
  for (const [width, height, why] of sizes) {
    it(`${width}x${height} (${why}): byte-equal to drawTestPattern for seqs ${seqs.join(', ')}, and the stamp verifies`, () => {
      const texture = target(width, height);
      for (const seq of seqs) {
        gpuTestPattern(manager, texture, seq);
        const got = manager.readTexture(texture);
        expect(firstDifference(got, drawTestPattern(createRgbaImage(width, height), seq).data, width)).toBe(-1);
        expect(verifyChecksum(got, width, height)).toEqual({ seq, ok: true });
      }
    });
  }

  it('clips the counter box in the sizes above (the edge cases are real)', () => {
    const boxRight = (width: number, height: number): number => {
      const { fontScale, counterX } = testPatternLayout(width, height);
      return counterX + ('#4294967295'.length * 6 + 1) * fontScale;
    };
    expect(boxRight(5, 3)).toBeGreaterThan(5);
    expect(boxRight(40, 150)).toBeGreaterThan(40);
    expect(testPatternLayout(64, 9).counterY + 9 * testPatternLayout(64, 9).fontScale).toBeGreaterThan(9);
  });

  it('async: draws queued frames in order, each its own picture', async () => {
    const textures = [target(160, 90), target(160, 90), target(160, 90)];
    await Promise.all(textures.map((texture, i) => gpuTestPatternAsync(manager, texture, 1000 + i)));
    textures.forEach((texture, i) => {
      expect(firstDifference(manager.readTexture(texture), drawTestPattern(createRgbaImage(160, 90), 1000 + i).data, 160)).toBe(-1);
    });
  });

  it('overwrites whatever the texture held (every byte is drawn)', () => {
    const texture = target(31, 17);
    manager.writeTexture(texture, new Uint8Array(randomBytes(31 * 17 * 4)));
    gpuTestPattern(manager, texture, 5);
    expect(firstDifference(manager.readTexture(texture), drawTestPattern(createRgbaImage(31, 17), 5).data, 31)).toBe(-1);
  });

  it('builds its three pipelines once, and leaks no fd over many frames', () => {
    const texture = target(48, 32);
    gpuTestPattern(manager, texture, 0);
    const pipelines = manager.computePipelineCount;
    const fds = openFdCount();
    for (let seq = 1; seq <= 50; seq++) gpuTestPattern(manager, texture, seq);
    expect(manager.computePipelineCount).toBe(pipelines);
    expect(openFdCount()).toBe(fds);
  });

  it.each([
    [-1, 'Expected integer between 0 and 4294967295 for seq but received -1 of type number'],
    [1.5, 'Expected integer between 0 and 4294967295 for seq but received 1.5 of type number'],
    [2 ** 32, 'Expected integer between 0 and 4294967295 for seq but received 4294967296 of type number'],
    ['3', 'Expected integer between 0 and 4294967295 for seq but received 3 of type string'],
  ])('rejects seq %o with a message naming it', async (seq, message) => {
    const texture = target(8, 8);
    expect(() => gpuTestPattern(manager, texture, seq as number)).toThrow(new GeyserError('InvalidDescriptor', message));
    await expect(gpuTestPatternAsync(manager, texture, seq as number)).rejects.toThrow(new GeyserError('InvalidDescriptor', message));
  });

  it('rejects a texture too small for the stamp, of another format, without storage usage, or released', () => {
    expect(() => gpuTestPattern(manager, target(2, 8), 0)).toThrow(
      new GeyserError('InvalidDescriptor', 'Expected a texture of at least 3x2 (room for the checksum stamp) for target but received 2x8'),
    );
    expect(() => gpuTestPattern(manager, target(8, 1), 0)).toThrow(
      new GeyserError('InvalidDescriptor', 'Expected a texture of at least 3x2 (room for the checksum stamp) for target but received 8x1'),
    );
    const bgra = manager.createShareableTexture({ width: 8, height: 8, format: 'bgra8unorm', usage: ['copy-src', 'copy-dst'], label: 'bgra' });
    made.push(bgra);
    expect(() => gpuTestPattern(manager, bgra, 0)).toThrow(
      new GeyserError('InvalidDescriptor', "Expected a rgba8unorm texture for target but received texture 'bgra'"),
    );
    const copyOnly = manager.createShareableTexture({ width: 8, height: 8, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'], label: 'copy only' });
    made.push(copyOnly);
    expect(() => gpuTestPattern(manager, copyOnly, 0)).toThrow(
      new GeyserError('OperationNotSupported', "dispatchCompute: textures[0] (texture 'copy only') was created without storage-binding usage"),
    );
    const released = manager.createShareableTexture({ width: 8, height: 8, format: 'rgba8unorm', usage: [...STORAGE], label: 'gone' });
    released.release();
    expect(() => gpuTestPattern(manager, released, 0)).toThrow(new GeyserError('Released', "target (texture 'gone') has been released"));
  });

  it('rejects a manager of another backend', async () => {
    const host = await createTextureShareManager({ backend: 'host' });
    try {
      const texture = host.createShareableTexture({ width: 8, height: 8, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] });
      expect(() => gpuTestPattern(host, texture, 0)).toThrow(
        new GeyserError('OperationNotSupported', 'Expected a VulkanTextureShareManager (GPU filters run on Vulkan) for manager but received an object'),
      );
      texture.release();
    } finally {
      host.dispose();
    }
  });
});
