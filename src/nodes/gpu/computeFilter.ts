/**
 * Runs a user's compute shader over textures, sized like the built-in filters.
 *
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import { checkIntegerInRange, checkKnownKeys, expectedMessage, isPlainObject } from '../../core/validate.js';
import { MAX_WORK_GROUPS } from '../../core/vulkan/compute.js';
import { checkVulkanManager } from './checks.js';

/** Options of {@link computeFilter}. */
export interface ComputeFilterOptions {
  /** SPIR-V of a compute shader with `main`, storage images at set 0, bindings 0..n-1. */
  readonly spirv: Uint32Array;
  /** Binding i is `textures[i]` (each with `storage-binding` usage). */
  readonly textures: readonly SharedTexture[];
  /** The shader's push-constant block, at most 128 bytes (a multiple of 4). */
  readonly pushConstants?: ArrayBuffer | ArrayBufferView;
  /** Invocations wanted in x and y; default: the last texture's size (the usual output). */
  readonly grid?: readonly [number, number];
  /** The shader's `local_size_x` and `local_size_y`; default [16, 16]. */
  readonly localSize?: readonly [number, number];
}

/**
 * Runs your own compute shader (GLSL compiled with `glslangValidator -V`) over storage textures on
 * the manager's queue, launching enough work groups to cover `grid` (by default the last
 * texture's size, one invocation per texel), and waits for it. Out-of-range invocations must
 * return early in the shader (`if (any(greaterThanEqual(p, imageSize(target)))) return;`).
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const spirv = new Uint32Array(readFileSync('invert.spv').buffer.slice(0));
 * computeFilter(manager, { spirv, textures: [source, target], pushConstants: new Float32Array([0.5]) });
 * ```
 * @param manager - a Vulkan manager that owns the textures
 * @param options - see {@link ComputeFilterOptions}
 * @throws {@link GeyserError} `OperationNotSupported` for a non-Vulkan manager or a texture without
 *   storage-binding usage; `InvalidDescriptor` naming the field for bad SPIR-V, a texture count not
 *   matching the shader, push constants over 128 bytes, or a bad grid.
 */
export function computeFilter(manager: unknown, options: ComputeFilterOptions): void {
  const vulkan = checkVulkanManager(manager);
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
  checkKnownKeys(options, ['spirv', 'textures', 'pushConstants', 'grid', 'localSize'], 'computeFilter');
  const textures = options.textures;
  const last = Array.isArray(textures) && textures.length > 0 ? textures[textures.length - 1] : undefined;
  const grid = options.grid ?? (last !== undefined ? [last.width, last.height] : [1, 1]);
  const local = options.localSize ?? [16, 16];
  const groups: [number, number, number] = [1, 1, 1];
  for (const axis of [0, 1] as const) {
    const size = checkIntegerInRange(grid[axis], `grid[${axis}]`, 1, MAX_WORK_GROUPS * 1024);
    const localSize = checkIntegerInRange(local[axis], `localSize[${axis}]`, 1, 1024);
    groups[axis] = Math.ceil(size / localSize);
  }
  const dispatch = { spirv: options.spirv, textures, groups, ...(options.pushConstants === undefined ? {} : { pushConstants: options.pushConstants }) };
  vulkan.dispatchCompute(dispatch);
}
