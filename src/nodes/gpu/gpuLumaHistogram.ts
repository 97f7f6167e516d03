/**
 * Luma histogram on the GPU.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import { checkTexture, checkVulkanManager, groupsFor, runQueued } from './checks.js';
import { builtinSpirv } from './shaders.js';

/**
 * Counts the pixels of `source` per BT.709 luma value (0 to 255, the grayscale filter's integer
 * formula) with a compute shader writing a storage buffer. Useful for exposure checks and for
 * verifying a frame without reading its pixels back.
 *
 * @example
 * ```ts
 * const bins = gpuLumaHistogram(manager, frame);
 * const dark = bins.slice(0, 16).reduce((a, b) => a + b, 0) / (frame.width * frame.height);
 * ```
 * @param manager - the Vulkan manager owning the texture
 * @param source - rgba8unorm texture with storage-binding usage
 * @returns 256 counts that sum to `width * height`
 * @throws {@link GeyserError} `InvalidDescriptor` for a wrong format; `OperationNotSupported`
 *   without storage-binding usage or for a non-Vulkan manager.
 */
export function gpuLumaHistogram(manager: unknown, source: SharedTexture): Uint32Array {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  const bins = new Uint32Array(256);
  vulkan.dispatchCompute({ spirv: builtinSpirv('lumaHistogram'), textures: [source], storageBuffer: bins, groups: groupsFor(source.width, source.height) });
  return bins;
}

/**
 * {@link gpuLumaHistogram} off the JS thread (see `dispatchComputeAsync`); bad arguments reject.
 *
 * @example
 * ```ts
 * const bins = await gpuLumaHistogramAsync(manager, frame);
 * ```
 * @param manager - the Vulkan manager owning the texture
 * @param source - rgba8unorm texture with storage-binding usage
 * @returns 256 counts that sum to `width * height`
 * @throws {@link GeyserError} as {@link gpuLumaHistogram}, as a rejection.
 */
export async function gpuLumaHistogramAsync(manager: unknown, source: SharedTexture): Promise<Uint32Array> {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  const bins = new Uint32Array(256);
  await runQueued(vulkan, [{ spirv: builtinSpirv('lumaHistogram'), textures: [source], storageBuffer: bins, groups: groupsFor(source.width, source.height) }]);
  return bins;
}
