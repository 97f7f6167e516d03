/**
 * A grid of tiles composed on the GPU.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import { isPlainObject, invalid } from '../../core/validate.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { checkColor, tileGrid, tileRect, type TileOptions } from '../kernels/composite.js';
import { checkVulkanManager, groupsFor, runNow, runQueued } from './checks.js';
import { checkCompositeTextures } from './composite-textures.js';
import { builtinSpirv } from './shaders.js';

/**
 * Draws `inputs` as a grid of tiles into `target`, as {@link compositeTiles} does on the CPU: each
 * input stretched (bilinear, as {@link gpuScale}) over its cell of `floor(width / columns)` x
 * `floor(height / rows)` pixels, row by row from the top left, and the background where no tile
 * is. One dispatch per input (`shaders/composite_tile.comp`), queued in one go; each pixel is
 * written by exactly one of them. Like {@link gpuScale}, a channel may differ from the CPU kernel
 * by at most 1 (float32 sample positions); cells of an input's own size are copied exactly.
 *
 * @example
 * ```ts
 * gpuCompositeTiles(manager, [cam0, cam1, cam2], wall, { columns: 3, background: [0, 0, 0, 255] });
 * ```
 * @param manager - the Vulkan manager owning every texture
 * @param inputs - 1 or more rgba8unorm textures with storage-binding usage, in reading order, any sizes
 * @param target - rgba8unorm texture with storage-binding usage; not one of `inputs`
 * @param options - grid columns (default `ceil(sqrt(inputs.length))`) and background (default opaque black)
 * @throws {@link GeyserError} `InvalidDescriptor` for no inputs, a wrong format, `target` among
 *   the inputs, columns out of 1..min(inputs, width), more rows than the target's height or a bad
 *   background; `OperationNotSupported` without storage-binding usage or for a non-Vulkan manager.
 */
export function gpuCompositeTiles(manager: unknown, inputs: readonly SharedTexture[], target: SharedTexture, options: TileOptions = {}): void {
  const [vulkan, dispatches] = plan(manager, inputs, target, options);
  runNow(vulkan, dispatches);
}

/**
 * {@link gpuCompositeTiles} off the JS thread (see `dispatchComputeAsync`): every dispatch is
 * queued at once. Bad arguments reject.
 *
 * @example
 * ```ts
 * await gpuCompositeTilesAsync(manager, [cam0, cam1], wall);
 * ```
 * @param manager - the Vulkan manager owning every texture
 * @param inputs - 1 or more rgba8unorm textures with storage-binding usage
 * @param target - rgba8unorm texture with storage-binding usage; not one of `inputs`
 * @param options - grid columns and background
 * @throws {@link GeyserError} as {@link gpuCompositeTiles}, as a rejection.
 */
export async function gpuCompositeTilesAsync(manager: unknown, inputs: readonly SharedTexture[], target: SharedTexture, options: TileOptions = {}): Promise<void> {
  const [vulkan, dispatches] = plan(manager, inputs, target, options);
  await runQueued(vulkan, dispatches);
}

function plan(manager: unknown, inputs: readonly SharedTexture[], target: SharedTexture, options: TileOptions): [VulkanTextureShareManager, ComputeDispatch[]] {
  const vulkan = checkVulkanManager(manager);
  const checked = checkCompositeTextures(inputs, target);
  if (!isPlainObject(options)) invalid('an options object { columns, background }', 'options', options);
  const { columns, rows } = tileGrid(checked.inputs.length, target.width, target.height, options.columns as number | undefined);
  const [r, g, b, a] = checkColor(options.background ?? [0, 0, 0, 255], 'background');
  const background = (r | (g << 8) | (b << 16) | (a << 24)) >>> 0;
  const spirv = builtinSpirv('compositeTile');
  const dispatches = checked.inputs.map((input, index): ComputeDispatch => {
    // Input 0's dispatch covers the whole target (it writes the background too); the others only their cell.
    const area = index === 0 ? { x: 0, y: 0, width: target.width, height: target.height } : tileRect(index, columns, rows, target.width, target.height);
    const pushConstants = new Uint32Array([area.x, area.y, columns, rows, checked.inputs.length, index, background]);
    return { spirv, textures: [input, target], pushConstants, groups: groupsFor(area.width, area.height) };
  });
  return [vulkan, dispatches];
}
