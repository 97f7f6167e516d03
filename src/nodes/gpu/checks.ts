/**
 * Argument checks shared by the GPU filters (one message shape, naming the parameter).
 *
 * @internal
 * @module
 */
import { describeTexture } from '../../core/descriptor.js';
import { GeyserError } from '../../core/errors.js';
import type { TextureFormat } from '../../core/formats.js';
import type { SharedTexture } from '../../core/types.js';
import { expectedMessage } from '../../core/validate.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { VulkanTexture } from '../../core/vulkan/texture.js';

/** Checks that `manager` is a Vulkan manager (GPU filters run on its device and queue). */
export function checkVulkanManager(manager: unknown): VulkanTextureShareManager {
  if (!(manager instanceof VulkanTextureShareManager)) {
    throw new GeyserError('OperationNotSupported', expectedMessage('a VulkanTextureShareManager (GPU filters run on Vulkan)', 'manager', manager));
  }
  return manager;
}

/** Checks that `texture` is a live Vulkan texture of `format` (sizes are checked by the caller). */
export function checkTexture(texture: unknown, field: string, format: TextureFormat): VulkanTexture {
  if (!(texture instanceof VulkanTexture)) {
    throw new GeyserError('InvalidTextureHandle', expectedMessage('a texture of the Vulkan backend', field, texture));
  }
  if (texture.released) throw new GeyserError('Released', `${field} (${describeTexture(texture.descriptor)}) has been released`);
  if (texture.format !== format) {
    throw new GeyserError('InvalidDescriptor', `Expected a ${format} texture for ${field} but received ${describeTexture(texture.descriptor)}`);
  }
  return texture;
}

/** Checks that `texture` is `width` x `height`. */
export function checkSize(texture: SharedTexture, field: string, width: number, height: number): void {
  if (texture.width !== width || texture.height !== height) {
    throw new GeyserError('InvalidDescriptor', `Expected a ${width}x${height} texture for ${field} but received ${texture.width}x${texture.height}`);
  }
}

/** Work groups of the built-in shaders' 16x16 local size covering `width` x `height` invocations. */
export function groupsFor(width: number, height: number): [number, number, number] {
  return [Math.ceil(width / 16), Math.ceil(height / 16), 1];
}

/** Runs a filter's dispatches one after the other on the JS thread. */
export function runNow(manager: VulkanTextureShareManager, dispatches: readonly ComputeDispatch[]): void {
  for (const dispatch of dispatches) manager.dispatchCompute(dispatch);
}

/**
 * Queues a filter's dispatches at once (they run in order on a worker thread) and resolves when
 * the last completes. Validation errors reject the promise instead of throwing.
 */
export async function runQueued(manager: VulkanTextureShareManager, dispatches: readonly ComputeDispatch[]): Promise<void> {
  const started: Promise<void>[] = [];
  try {
    for (const dispatch of dispatches) started.push(manager.dispatchComputeAsync(dispatch));
  } catch (error) {
    await Promise.allSettled(started); // nothing left running unobserved
    throw error;
  }
  await Promise.all(started);
}
