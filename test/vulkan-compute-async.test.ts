import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createYuv420Planes,
  GeyserError,
  gpuBoxBlurAsync,
  gpuGrayscaleAsync,
  gpuLumaHistogram,
  gpuLumaHistogramAsync,
  gpuRgbaToYuv420Async,
  gpuScale,
  gpuScaleAsync,
  readYuv420,
  type SharedTexture,
  type VulkanTextureShareManager,
} from '../src/index.js';
import { builtinSpirv } from '../src/nodes/gpu/shaders.js';
import { blurReference, grayscaleReference, maxDifference, randomBytes, yuv420Reference } from './gpu-reference.js';
import { openFdCount, openVulkan } from './vulkan-utils.js';

const USAGE = ['storage-binding', 'copy-src', 'copy-dst'] as const;

describe('dispatchComputeAsync runs dispatches off the JS thread', () => {
  let manager: VulkanTextureShareManager;
  const rgba = (w: number, h: number, label?: string): SharedTexture =>
    manager.createShareableTexture({ width: w, height: h, format: 'rgba8unorm', usage: [...USAGE], ...(label ? { label } : {}) });

  beforeAll(async () => {
    manager = await openVulkan();
  });
  afterAll(() => manager?.dispose());

  it('resolves after the dispatch completed, with the same pixels as the CPU reference', async () => {
    const pixels = randomBytes(64 * 48 * 4, 8);
    const source = rgba(64, 48);
    const target = rgba(64, 48);
    manager.writeTexture(source, pixels);
    await manager.dispatchComputeAsync({ spirv: builtinSpirv('grayscale'), textures: [source, target], groups: [4, 3, 1] });
    expect(maxDifference(manager.readTexture(target), grayscaleReference(pixels))).toBe(0);
    source.release();
    target.release();
  });

  it('runs dispatches in the order they were made, however many are in flight (blur passes queued at once)', async () => {
    const sources: SharedTexture[] = [];
    const targets: SharedTexture[] = [];
    const scratch: SharedTexture[] = [];
    const inputs: Uint8Array[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 6; i++) {
      inputs.push(randomBytes(48 * 32 * 4, 21 + i));
      sources.push(rgba(48, 32));
      targets.push(rgba(48, 32));
      scratch.push(manager.createShareableTexture({ width: 48, height: 32, format: 'rgba32float', usage: ['storage-binding'] }));
      manager.writeTexture(sources[i]!, inputs[i]!);
    }
    for (let i = 0; i < 6; i++) {
      const radius = new Int32Array([1 + (i % 3)]);
      // Each vertical pass reads what its horizontal pass writes: only correct if they run in order.
      pending.push(manager.dispatchComputeAsync({ spirv: builtinSpirv('blurHorizontal'), textures: [sources[i]!, scratch[i]!], pushConstants: radius, groups: [3, 2, 1] }));
      pending.push(manager.dispatchComputeAsync({ spirv: builtinSpirv('blurVertical'), textures: [scratch[i]!, targets[i]!], pushConstants: radius, groups: [3, 2, 1] }));
    }
    // A synchronous dispatch made now waits its turn behind all of them.
    manager.dispatchCompute({ spirv: builtinSpirv('grayscale'), textures: [targets[5]!, targets[0]!], groups: [3, 2, 1] });
    await Promise.all(pending);
    for (let i = 1; i < 6; i++) {
      expect(maxDifference(manager.readTexture(targets[i]!), blurReference(inputs[i]!, 48, 32, 1 + (i % 3)))).toBe(0);
    }
    expect(maxDifference(manager.readTexture(targets[0]!), grayscaleReference(blurReference(inputs[5]!, 48, 32, 3)))).toBe(0);
    for (const texture of [...sources, ...targets, ...scratch]) texture.release();
  });

  it('copies a storage buffer result back into the caller array when it resolves', async () => {
    const pixels = randomBytes(32 * 32 * 4, 3);
    const source = rgba(32, 32);
    manager.writeTexture(source, pixels);
    const bins = new Uint32Array(256);
    await manager.dispatchComputeAsync({ spirv: builtinSpirv('lumaHistogram'), textures: [source], storageBuffer: bins, groups: [2, 2, 1] });
    const want = new Uint32Array(256);
    const gray = grayscaleReference(pixels);
    for (let i = 0; i < gray.length; i += 4) want[gray[i]!]!++;
    expect([...bins]).toEqual([...want]);
    source.release();
  });

  it('lets textures be released while their dispatch is in flight, freeing them when it completes', async () => {
    const fds = openFdCount();
    const allocations = manager.liveAllocationCount;
    const source = rgba(64, 64);
    const target = rgba(64, 64);
    const pending = manager.dispatchComputeAsync({ spirv: builtinSpirv('grayscale'), textures: [source, target], groups: [4, 4, 1] });
    source.release();
    target.release();
    await pending;
    expect(manager.liveAllocationCount).toBe(allocations);
    expect(openFdCount()).toBe(fds);
  });

  it('the async filters give the same bytes as the references and the synchronous filters', async () => {
    const pixels = randomBytes(40 * 30 * 4, 55);
    const source = rgba(40, 30);
    manager.writeTexture(source, pixels);
    const gray = rgba(40, 30);
    const blurred = rgba(40, 30);
    const scaledAsync = rgba(23, 17);
    const scaledSync = rgba(23, 17);
    const planes = createYuv420Planes(manager, 40, 30, 'nv12');
    const [, , , , bins] = await Promise.all([
      gpuGrayscaleAsync(manager, source, gray),
      gpuBoxBlurAsync(manager, source, blurred, 2),
      gpuScaleAsync(manager, source, scaledAsync),
      gpuRgbaToYuv420Async(manager, source, planes, 'bt601'),
      gpuLumaHistogramAsync(manager, source),
    ]);
    gpuScale(manager, source, scaledSync);
    expect(maxDifference(manager.readTexture(gray), grayscaleReference(pixels))).toBe(0);
    expect(maxDifference(manager.readTexture(blurred), blurReference(pixels, 40, 30, 2))).toBe(0);
    expect(maxDifference(manager.readTexture(scaledAsync), manager.readTexture(scaledSync))).toBe(0);
    expect(maxDifference(readYuv420(manager, planes), yuv420Reference(pixels, 40, 30, 'nv12', 'bt601'))).toBe(0);
    expect([...bins]).toEqual([...gpuLumaHistogram(manager, source)]);
    for (const texture of [source, gray, blurred, scaledAsync, scaledSync, planes.y, planes.uv]) texture.release();
  });

  it('the async filters reject bad arguments with the same GeyserError', async () => {
    const source = rgba(16, 16);
    const small = rgba(8, 8);
    await expect(gpuGrayscaleAsync(manager, source, small)).rejects.toThrow(new GeyserError('InvalidDescriptor', 'Expected a 16x16 texture for target but received 8x8'));
    await expect(gpuBoxBlurAsync(manager, source, source, -1)).rejects.toThrow('Expected integer between 0 and 255 for radius but received -1 of type number');
    source.release();
    small.release();
  });

  it('throws validation errors synchronously, before any work is queued', () => {
    const source = rgba(16, 16, 'alone');
    try {
      expect(() => manager.dispatchComputeAsync({ spirv: builtinSpirv('grayscale'), textures: [source], groups: [1, 1, 1] })).toThrow(GeyserError);
    } finally {
      source.release();
    }
  });
});

it('a manager disposed while a dispatch is in flight keeps its device until the dispatch completes', async () => {
  const manager = await openVulkan();
  const source = manager.createShareableTexture({ width: 64, height: 64, format: 'rgba8unorm', usage: [...USAGE] });
  const target = manager.createShareableTexture({ width: 64, height: 64, format: 'rgba8unorm', usage: [...USAGE] });
  const pending = manager.dispatchComputeAsync({ spirv: builtinSpirv('grayscale'), textures: [source, target], groups: [4, 4, 1] });
  manager.dispose();
  await expect(pending).resolves.toBeUndefined();
});
