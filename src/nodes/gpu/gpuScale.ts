/**
 * Bilinear resize on the GPU.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { checkTexture, checkVulkanManager, groupsFor, runNow, runQueued } from './checks.js';
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
  const [vulkan, dispatches] = plan(manager, source, target);
  runNow(vulkan, dispatches);
}

/**
 * {@link gpuScale} off the JS thread (see `dispatchComputeAsync`); bad arguments reject.
 *
 * @example
 * ```ts
 * await gpuScaleAsync(manager, frame1080p, thumbnail);
 * ```
 * @param manager - the Vulkan manager owning both textures
 * @param source - rgba8unorm texture with storage-binding usage
 * @param target - rgba8unorm texture of the wanted size with storage-binding usage
 * @throws {@link GeyserError} as {@link gpuScale}, as a rejection.
 */
export async function gpuScaleAsync(manager: unknown, source: SharedTexture, target: SharedTexture): Promise<void> {
  const [vulkan, dispatches] = plan(manager, source, target);
  await runQueued(vulkan, dispatches);
}

function plan(manager: unknown, source: SharedTexture, target: SharedTexture): [VulkanTextureShareManager, ComputeDispatch[]] {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  checkTexture(target, 'target', 'rgba8unorm');
  return [vulkan, [{ spirv: builtinSpirv('scale'), textures: [source, target], groups: groupsFor(target.width, target.height) }]];
}
