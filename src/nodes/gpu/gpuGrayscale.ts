/**
 * Grayscale on the GPU.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { checkSize, checkTexture, checkVulkanManager, groupsFor, runNow, runQueued } from './checks.js';
import { builtinSpirv } from './shaders.js';

/**
 * Writes the BT.709 luma of `source` into `target` (R = G = B = Y, alpha kept) with a compute
 * shader, bit-exact with the CPU kernel: `Y = floor((2126 R + 7152 G + 722 B + 5000) / 10000)`.
 *
 * @example
 * ```ts
 * const usage = ['storage-binding', 'copy-src', 'copy-dst'] as const;
 * const gray = manager.createShareableTexture({ width: 1280, height: 720, format: 'rgba8unorm', usage: [...usage] });
 * gpuGrayscale(manager, frame, gray);
 * ```
 * @param manager - the Vulkan manager owning both textures
 * @param source - rgba8unorm texture with storage-binding usage
 * @param target - rgba8unorm texture of the same size with storage-binding usage; not `source`
 * @throws {@link GeyserError} `InvalidDescriptor` for a wrong format or size, or `target` = `source`;
 *   `OperationNotSupported` without storage-binding usage or for a non-Vulkan manager.
 */
export function gpuGrayscale(manager: unknown, source: SharedTexture, target: SharedTexture): void {
  const [vulkan, dispatches] = plan(manager, source, target);
  runNow(vulkan, dispatches);
}

/**
 * {@link gpuGrayscale} off the JS thread (see `dispatchComputeAsync`); bad arguments reject.
 *
 * @example
 * ```ts
 * await gpuGrayscaleAsync(manager, frame, gray);
 * ```
 * @param manager - the Vulkan manager owning both textures
 * @param source - rgba8unorm texture with storage-binding usage
 * @param target - rgba8unorm texture of the same size with storage-binding usage
 * @throws {@link GeyserError} as {@link gpuGrayscale}, as a rejection.
 */
export async function gpuGrayscaleAsync(manager: unknown, source: SharedTexture, target: SharedTexture): Promise<void> {
  const [vulkan, dispatches] = plan(manager, source, target);
  await runQueued(vulkan, dispatches);
}

function plan(manager: unknown, source: SharedTexture, target: SharedTexture): [VulkanTextureShareManager, ComputeDispatch[]] {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  checkTexture(target, 'target', 'rgba8unorm');
  checkSize(target, 'target', source.width, source.height);
  return [vulkan, [{ spirv: builtinSpirv('grayscale'), textures: [source, target], groups: groupsFor(target.width, target.height) }]];
}
