/**
 * Layers laid over a base image on the GPU.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import { invalid, isPlainObject } from '../../core/validate.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { overlayPlacement, type OverlayOptions } from '../kernels/composite.js';
import { checkSize, checkVulkanManager, groupsFor, runNow, runQueued } from './checks.js';
import { checkCompositeTextures } from './composite-textures.js';
import { builtinSpirv } from './shaders.js';

/**
 * Copies `inputs[0]` into `target`, then lays `inputs[1]`, `inputs[2]`, ... over it in order, each
 * at its `layers[i - 1]` position and opacity (default `{ x: 0, y: 0, opacity: 1 }`), blending by
 * its alpha with {@link overlayRgba}'s integer math: byte-identical to the CPU kernel. Parts
 * outside the target are clipped; a layer wholly outside costs no dispatch. One dispatch per
 * input (`shaders/composite_overlay.comp`), each covering only its layer's clipped rectangle.
 *
 * @example
 * ```ts
 * gpuOverlay(manager, [frame, logo, caption], out, [{ x: 16, y: 16, opacity: 0.8 }, { x: 0, y: 600 }]);
 * ```
 * @param manager - the Vulkan manager owning every texture
 * @param inputs - the base (input 0) and the layers: rgba8unorm textures with storage-binding usage, any sizes
 * @param target - rgba8unorm texture of input 0's size with storage-binding usage; not one of `inputs`
 * @param layers - placement of inputs 1, 2, ...: integer `x`, `y` (may be negative or past the
 *   edge) and `opacity` 0 to 1; at most `inputs.length - 1` entries
 * @throws {@link GeyserError} `InvalidDescriptor` for no inputs, a wrong format or size, `target`
 *   among the inputs, too many layers or a bad x, y or opacity; `OperationNotSupported` without
 *   storage-binding usage or for a non-Vulkan manager.
 */
export function gpuOverlay(manager: unknown, inputs: readonly SharedTexture[], target: SharedTexture, layers: readonly OverlayOptions[] = []): void {
  const [vulkan, dispatches] = plan(manager, inputs, target, layers);
  runNow(vulkan, dispatches);
}

/**
 * {@link gpuOverlay} off the JS thread (see `dispatchComputeAsync`): every dispatch is queued at
 * once and they run in order. Bad arguments reject.
 *
 * @example
 * ```ts
 * await gpuOverlayAsync(manager, [frame, logo], out, [{ x: 16, y: 16, opacity: 0.8 }]);
 * ```
 * @param manager - the Vulkan manager owning every texture
 * @param inputs - the base and the layers: rgba8unorm textures with storage-binding usage
 * @param target - rgba8unorm texture of input 0's size with storage-binding usage; not one of `inputs`
 * @param layers - placement of inputs 1, 2, ...
 * @throws {@link GeyserError} as {@link gpuOverlay}, as a rejection.
 */
export async function gpuOverlayAsync(manager: unknown, inputs: readonly SharedTexture[], target: SharedTexture, layers: readonly OverlayOptions[] = []): Promise<void> {
  const [vulkan, dispatches] = plan(manager, inputs, target, layers);
  await runQueued(vulkan, dispatches);
}

function plan(manager: unknown, inputs: readonly SharedTexture[], target: SharedTexture, layers: readonly OverlayOptions[]): [VulkanTextureShareManager, ComputeDispatch[]] {
  const vulkan = checkVulkanManager(manager);
  const checked = checkCompositeTextures(inputs, target);
  const [base, ...rest] = checked.inputs;
  checkSize(target, 'target', base!.width, base!.height);
  if (!Array.isArray(layers) || layers.length > rest.length) {
    invalid(`an array of at most ${rest.length} { x, y, opacity } (one per input after the first)`, 'layers', layers);
  }
  const spirv = builtinSpirv('compositeOverlay');
  const copy = new Int32Array([0, 0, 0, 0, 256, 1]);
  const dispatches: ComputeDispatch[] = [{ spirv, textures: [base!, target], pushConstants: copy, groups: groupsFor(base!.width, base!.height) }];
  rest.forEach((layer, i) => {
    const options: unknown = layers[i] ?? {};
    if (!isPlainObject(options)) invalid('an object { x, y, opacity }', `layers[${i}]`, options);
    const { x, y, scale, left, top, right, bottom } = overlayPlacement(options, `layers[${i}].`, layer, target);
    if (left >= right || top >= bottom) return; // wholly off the target: nothing to draw
    const pushConstants = new Int32Array([x, y, left, top, scale, 0]);
    dispatches.push({ spirv, textures: [layer, target], pushConstants, groups: groupsFor(right - left, bottom - top) });
  });
  return [vulkan, dispatches];
}
