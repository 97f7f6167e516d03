/**
 * Bilinear resize on the GPU.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import { checkTexture, checkVulkanManager, groupsFor } from './checks.js';
import { builtinSpirv } from './shaders.js';

/**
 * Resizes `source` into `target` (any sizes, up or down) by bilinear interpolation with the CPU
 * kernel's conventions: pixel centers aligned, edges clamped, 11-bit fixed-point weights. The
 * sample position is computed in float32 on the GPU (float64 on the CPU), so a channel may differ
 * from the CPU kernel by at most 1.
 *
 * @example
 * ```ts
 * gpuScale(manager, frame1080p, thumbnail320x180);
 * ```
 * @param manager - the Vulkan manager owning both textures
 * @param source - rgba8unorm texture with storage-binding usage
 * @param target - rgba8unorm texture of the wanted size with storage-binding usage; not `source`
 * @throws {@link GeyserError} `InvalidDescriptor` for a wrong format or `target` = `source`;
 *   `OperationNotSupported` without storage-binding usage or for a non-Vulkan manager.
 */
export function gpuScale(manager: unknown, source: SharedTexture, target: SharedTexture): void {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  checkTexture(target, 'target', 'rgba8unorm');
  vulkan.dispatchCompute({ spirv: builtinSpirv('scale'), textures: [source, target], groups: groupsFor(target.width, target.height) });
}
