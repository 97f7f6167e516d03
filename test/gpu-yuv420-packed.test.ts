// gpuRgbaToYuv420Packed on lavapipe: one dispatch writes the encoder-ready 4:2:0 frame into one
// r8unorm texture of W x H*3/2, byte for byte what the CPU kernel rgbaToYuv420 writes, for both
// layouts and matrices and for sizes whose block grid is not a multiple of the 16x16 work group
// (and whose I420 V plane starts half-way along a texture row). Bad arguments get exact messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTextureShareManager, createYuv420PackedTexture, createYuv420Planes, gpuRgbaToYuv420, gpuRgbaToYuv420Packed, gpuRgbaToYuv420PackedAsync, readYuv420,
  type SharedTexture, type TextureShareManager, type VulkanTextureShareManager,
} from '../src/index.js';
import { rgbaToYuv420, yuv420ByteLength } from '../src/nodes/kernels/yuv420.js';
import { randomBytes } from './gpu-reference.js';
import { openFdCount } from './helpers/resources.js';
import { openVulkan } from './vulkan-utils.js';
import { NO_VULKAN } from './helpers/vulkan-available.js';


const USAGE = ['storage-binding', 'copy-src', 'copy-dst'] as const;

let manager: VulkanTextureShareManager;
const made: SharedTexture[] = [];
let fdsBefore: number;

/** An rgba8unorm storage texture filled with deterministic noise; returns it and its bytes. */
function noiseTexture(width: number, height: number, seed: number): { texture: SharedTexture; data: Uint8Array } {
  const texture = manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage: [...USAGE], label: 'rgba in' });
  made.push(texture);
  const data = randomBytes(width * height * 4, seed);
  manager.writeTexture(texture, data);
  return { texture, data };
}

function packedTexture(width: number, height: number): SharedTexture {
  const texture = createYuv420PackedTexture(manager, width, height);
  made.push(texture);
  return texture;
}

/** The first index where two arrays differ, or -1 (a readable failure instead of a 100 KB diff). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

// Skipped only where no Vulkan device opens at all (no loader or ICD): there is no GPU to test.
describe.skipIf(NO_VULKAN)('gpuRgbaToYuv420Packed', () => {
  beforeAll(async () => {
    fdsBefore = openFdCount();
    manager = await openVulkan();
  });
  afterAll(() => {
    for (const texture of made) texture.release();
    manager?.dispose();
    // Every texture's memory fd and the device's own fds are closed again.
    expect(openFdCount()).toBe(fdsBefore);
  });

  // [width, height]: 2x2 (one block); 34x18 (17x9 blocks: one partial work group each way, I420's
  // U plane ends mid-row); 98x62 (49x31 blocks); 64x48 (whole rows); 320x182 (several work groups).
  const sizes: Array<[number, number]> = [[2, 2], [34, 18], [98, 62], [64, 48], [320, 182]];
  for (const layout of ['i420', 'nv12'] as const) {
    for (const matrix of ['bt709', 'bt601'] as const) {
      it.each(sizes)(`${layout} ${matrix} at %ix%i equals rgbaToYuv420 byte for byte`, (width, height) => {
        const { texture, data } = noiseTexture(width, height, width * 1000 + height);
        const target = packedTexture(width, height);
        gpuRgbaToYuv420Packed(manager, texture, target, layout, matrix);
        const want = rgbaToYuv420({ data, width, height }, new Uint8Array(yuv420ByteLength(width, height)), layout, matrix);
        expect(firstDifference(manager.readTexture(target), want)).toBe(-1);
      });
    }
  }

  it('the async variant writes the same bytes, and a target already holding a frame is fully overwritten', async () => {
    const [width, height] = [98, 62];
    const target = packedTexture(width, height);
    manager.writeTexture(target, new Uint8Array(width * height * 1.5).fill(0xa5));
    const { texture, data } = noiseTexture(width, height, 7);
    await gpuRgbaToYuv420PackedAsync(manager, texture, target, 'i420', 'bt601');
    const want = rgbaToYuv420({ data, width, height }, new Uint8Array(yuv420ByteLength(width, height)), 'i420', 'bt601');
    expect(firstDifference(manager.readTexture(target), want)).toBe(-1);
  });

  it('equals the plane path (gpuRgbaToYuv420 + readYuv420), which keeps working', () => {
    const [width, height] = [34, 18];
    const { texture } = noiseTexture(width, height, 11);
    const planes = createYuv420Planes(manager, width, height, 'nv12');
    made.push(planes.y, planes.uv);
    gpuRgbaToYuv420(manager, texture, planes);
    const target = packedTexture(width, height);
    gpuRgbaToYuv420Packed(manager, texture, target, 'nv12');
    expect(firstDifference(manager.readTexture(target), readYuv420(manager, planes))).toBe(-1);
  });

  it('createYuv420PackedTexture makes an r8unorm W x H*3/2 storage texture that can be read back', () => {
    const target = packedTexture(1920, 1080);
    expect([target.width, target.height, target.format]).toEqual([1920, 1620, 'r8unorm']);
    expect([...target.usage].sort()).toEqual(['copy-dst', 'copy-src', 'storage-binding']);
  });

  it('rejects odd or non-positive sizes for createYuv420PackedTexture', () => {
    expect(() => createYuv420PackedTexture(manager, 33, 20)).toThrow('Expected positive even integer for width but received 33 of type number');
    expect(() => createYuv420PackedTexture(manager, 32, 0)).toThrow('Expected positive even integer for height but received 0 of type number');
    expect(() => createYuv420PackedTexture(manager, 32, '20' as unknown as number)).toThrow("Expected positive even integer for height but received '20' of type string");
  });

  it('rejects a bad source, target, layout or matrix with a message naming it', async () => {
    const { texture } = noiseTexture(34, 18, 3);
    const target = packedTexture(34, 18);
    const odd = manager.createShareableTexture({ width: 33, height: 18, format: 'rgba8unorm', usage: [...USAGE] });
    made.push(odd);
    expect(() => gpuRgbaToYuv420Packed(manager, odd, target, 'nv12')).toThrow('Expected even width and height for source (4:2:0) but received 33x18');
    const wrongSize = packedTexture(34, 20);
    expect(() => gpuRgbaToYuv420Packed(manager, texture, wrongSize, 'nv12')).toThrow('Expected a 34x27 texture for target but received 34x30');
    expect(() => gpuRgbaToYuv420Packed(manager, texture, texture, 'nv12')).toThrow("Expected a r8unorm texture for target but received texture 'rgba in'");
    expect(() => gpuRgbaToYuv420Packed(manager, target, target, 'nv12')).toThrow("Expected a rgba8unorm texture for source but received texture 'yuv420 packed'");
    expect(() => gpuRgbaToYuv420Packed(manager, texture, target, 'yuv444' as 'nv12')).toThrow("Expected one of nv12, i420 for layout but received 'yuv444' of type string");
    expect(() => gpuRgbaToYuv420Packed(manager, texture, target, 'nv12', 'bt2020' as 'bt709')).toThrow("Expected one of bt709, bt601 for matrix but received 'bt2020' of type string");
    // The async variant rejects instead of throwing.
    await expect(gpuRgbaToYuv420PackedAsync(manager, texture, wrongSize, 'i420')).rejects.toThrow('Expected a 34x27 texture for target but received 34x30');
    // A target the shader cannot write.
    const copyOnly = manager.createShareableTexture({ width: 34, height: 27, format: 'r8unorm', usage: ['copy-src', 'copy-dst'] });
    made.push(copyOnly);
    expect(() => gpuRgbaToYuv420Packed(manager, texture, copyOnly, 'i420')).toThrow(/storage-binding/);
  });

  it('rejects a released target and a manager of another backend', async () => {
    const { texture } = noiseTexture(34, 18, 5);
    const target = createYuv420PackedTexture(manager, 34, 18, 'yuv out');
    target.release();
    expect(() => gpuRgbaToYuv420Packed(manager, texture, target, 'nv12')).toThrow(/^target \(.*\) has been released$/);
    const host: TextureShareManager = await createTextureShareManager({ backend: 'host' });
    try {
      expect(() => gpuRgbaToYuv420Packed(host, texture, target, 'nv12')).toThrow(/^Expected a VulkanTextureShareManager \(GPU filters run on Vulkan\) for manager but received/);
      expect(() => createYuv420PackedTexture(host, 34, 18)).toThrow(/^Expected a VulkanTextureShareManager/);
    } finally {
      host.dispose();
    }
  });
});
