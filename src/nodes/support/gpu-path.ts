/**
 * The choice between a filter's GPU kernel and its CPU kernel, per frame, and the one-time report
 * of that choice through `NODE_DEBUG=geyser`.
 *
 * @internal
 * @module
 */
import { debuglog } from 'node:util';
import type { SharedTexture } from '../../core/types.js';
import type { TextureUsage } from '../../core/usages.js';
import { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import type { Frame } from '../../pipeline/frame.js';

const debug = debuglog('geyser');

/** A filter's GPU kernel: from the input frame's texture into the output frame's texture, on the manager's queue. */
export type GpuFrameKernel = (manager: VulkanTextureShareManager, input: SharedTexture, output: SharedTexture, frame: Frame) => Promise<void>;

/**
 * Why `frame` cannot take a GPU kernel writing into textures of `outputUsage`, or undefined when it
 * can: the GPU kernels need the Vulkan manager and rgba8unorm storage images on both sides.
 */
export function cpuReason(frame: Frame, outputUsage: readonly TextureUsage[] = ['storage-binding']): string | undefined {
  const manager = frame.context.manager;
  if (!(manager instanceof VulkanTextureShareManager)) return `the ${manager.backend} backend has no GPU kernels`;
  if (frame.format !== 'rgba8unorm') return `frames are ${frame.format}, the GPU kernels take rgba8unorm`;
  if (!frame.texture.usage.includes('storage-binding')) return 'input frames lack storage-binding usage';
  if (!outputUsage.includes('storage-binding')) return 'output frames lack storage-binding usage';
  return undefined;
}

/**
 * Reports a node's path once (per subscription: the caller keeps the returned flag), so a
 * pipeline's log says which filters ran on the GPU without a line per frame.
 */
export function createPathReporter(node: string): (reason: string | undefined) => void {
  let reported = false;
  return (reason) => {
    if (reported) return;
    reported = true;
    if (reason === undefined) debug("node '%s' runs its GPU kernel (Vulkan compute) on each frame", node);
    else debug("node '%s' runs its CPU kernel: %s", node, reason);
  };
}
