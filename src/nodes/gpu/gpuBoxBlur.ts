/**
 * Separable box blur on the GPU.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import { checkIntegerInRange } from '../../core/validate.js';
import { checkSize, checkTexture, checkVulkanManager, groupsFor } from './checks.js';
import { builtinSpirv } from './shaders.js';

/** The largest radius {@link gpuBoxBlur} accepts (as the CPU kernel). */
export const GPU_MAX_BLUR_RADIUS = 255;

/**
 * Blurs `source` into `target` with a `(2 radius + 1)`-square box (edge pixels repeat), all four
 * channels, rounded half up: bit-exact with the CPU kernel. Two dispatches: row sums into
 * `scratch` (rgba32float, exact for these sums), then column sums divided by the box area.
 * Cost grows with the radius (no running sums on the GPU).
 *
 * @example
 * ```ts
 * const scratch = manager.createShareableTexture({ width, height, format: 'rgba32float', usage: ['storage-binding'] });
 * gpuBoxBlur(manager, frame, blurred, 4, scratch); // reuse scratch every frame
 * ```
 * @param manager - the Vulkan manager owning the textures
 * @param source - rgba8unorm texture with storage-binding usage
 * @param target - rgba8unorm texture of the same size with storage-binding usage; not `source`
 * @param radius - box half-width, integer 0 to 255
 * @param scratch - rgba32float texture of the same size with storage-binding usage; default: one
 *   is created and released for this call
 * @throws {@link GeyserError} `InvalidDescriptor` for a wrong format or size or radius;
 *   `OperationNotSupported` without storage-binding usage or for a non-Vulkan manager.
 */
export function gpuBoxBlur(manager: unknown, source: SharedTexture, target: SharedTexture, radius: number, scratch?: SharedTexture): void {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  checkTexture(target, 'target', 'rgba8unorm');
  checkSize(target, 'target', source.width, source.height);
  checkIntegerInRange(radius, 'radius', 0, GPU_MAX_BLUR_RADIUS);
  if (scratch !== undefined) {
    checkTexture(scratch, 'scratch', 'rgba32float');
    checkSize(scratch, 'scratch', source.width, source.height);
  }
  const sums = scratch ?? vulkan.createShareableTexture({ width: source.width, height: source.height, format: 'rgba32float', usage: ['storage-binding'], label: 'gpuBoxBlur scratch' });
  try {
    const groups = groupsFor(source.width, source.height);
    const pushConstants = new Int32Array([radius]);
    vulkan.dispatchCompute({ spirv: builtinSpirv('blurHorizontal'), textures: [source, sums], pushConstants, groups });
    vulkan.dispatchCompute({ spirv: builtinSpirv('blurVertical'), textures: [sums, target], pushConstants, groups });
  } finally {
    if (sums !== scratch) sums.release();
  }
}
