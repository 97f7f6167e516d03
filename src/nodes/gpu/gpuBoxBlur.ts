/**
 * Separable box blur on the GPU.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import { checkIntegerInRange } from '../../core/validate.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { checkSize, checkTexture, checkVulkanManager, groupsFor, runNow, runQueued } from './checks.js';
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
  const { vulkan, dispatches, ownScratch } = plan(manager, source, target, radius, scratch);
  try {
    runNow(vulkan, dispatches);
  } finally {
    ownScratch?.release();
  }
}

/**
 * {@link gpuBoxBlur} off the JS thread (see `dispatchComputeAsync`): both passes are queued at
 * once and run in order. Bad arguments reject.
 *
 * @example
 * ```ts
 * await gpuBoxBlurAsync(manager, frame, blurred, 4, scratch);
 * ```
 * @param manager - the Vulkan manager owning the textures
 * @param source - rgba8unorm texture with storage-binding usage
 * @param target - rgba8unorm texture of the same size with storage-binding usage
 * @param radius - box half-width, integer 0 to 255
 * @param scratch - rgba32float texture of the same size with storage-binding usage (default: a temporary one)
 * @throws {@link GeyserError} as {@link gpuBoxBlur}, as a rejection.
 */
export async function gpuBoxBlurAsync(manager: unknown, source: SharedTexture, target: SharedTexture, radius: number, scratch?: SharedTexture): Promise<void> {
  const { vulkan, dispatches, ownScratch } = plan(manager, source, target, radius, scratch);
  try {
    await runQueued(vulkan, dispatches);
  } finally {
    ownScratch?.release();
  }
}

interface BlurPlan {
  vulkan: VulkanTextureShareManager;
  dispatches: ComputeDispatch[];
  /** The temporary scratch texture, released by the caller when done. */
  ownScratch: SharedTexture | undefined;
}

function plan(manager: unknown, source: SharedTexture, target: SharedTexture, radius: number, scratch: SharedTexture | undefined): BlurPlan {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  checkTexture(target, 'target', 'rgba8unorm');
  checkSize(target, 'target', source.width, source.height);
  checkIntegerInRange(radius, 'radius', 0, GPU_MAX_BLUR_RADIUS);
  if (scratch !== undefined) {
    checkTexture(scratch, 'scratch', 'rgba32float');
    checkSize(scratch, 'scratch', source.width, source.height);
  }
  const ownScratch =
    scratch === undefined
      ? vulkan.createShareableTexture({ width: source.width, height: source.height, format: 'rgba32float', usage: ['storage-binding'], label: 'gpuBoxBlur scratch' })
      : undefined;
  const sums = scratch ?? ownScratch!;
  const groups = groupsFor(source.width, source.height);
  const pushConstants = new Int32Array([radius]);
  const dispatches: ComputeDispatch[] = [
    { spirv: builtinSpirv('blurHorizontal'), textures: [source, sums], pushConstants, groups },
    { spirv: builtinSpirv('blurVertical'), textures: [sums, target], pushConstants, groups },
  ];
  return { vulkan, dispatches, ownScratch };
}
