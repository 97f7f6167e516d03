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
import type { NodeScope } from '../../pipeline/node-scope.js';

const debug = debuglog('geyser');

/** A filter's GPU kernel: from the input frame's texture into the output frame's texture, on the manager's queue. */
export type GpuFrameKernel = (manager: VulkanTextureShareManager, input: SharedTexture, output: SharedTexture, frame: Frame) => Promise<void>;

/** A filter's GPU path: the kernel (made once per subscription) and what it needs of output textures. */
export interface GpuPath {
  /** Makes the kernel and its per-subscription state (scratch textures, released at teardown). */
  kernelFor(scope: NodeScope): GpuFrameKernel;
  /** Usages the kernel needs of the output frame's texture (storage-binding to write it in a shader). */
  outputNeeds: readonly TextureUsage[];
}

/**
 * Why `frame` cannot take a GPU kernel, or undefined when it can: the GPU kernels need the Vulkan
 * manager and an rgba8unorm storage image to read.
 */
export function cpuReason(frame: Frame): string | undefined {
  const manager = frame.context.manager;
  if (!(manager instanceof VulkanTextureShareManager)) return `the ${manager.backend} backend has no GPU kernels`;
  if (frame.format !== 'rgba8unorm') return `frames are ${frame.format}, the GPU kernels take rgba8unorm`;
  if (!frame.texture.usage.includes('storage-binding')) return 'input frames lack storage-binding usage';
  return undefined;
}

/** Why output textures of `usage` cannot take a kernel needing `needs`, or undefined when they can. */
export function outputReason(usage: readonly TextureUsage[], needs: readonly TextureUsage[]): string | undefined {
  const missing = needs.filter((need) => !usage.includes(need));
  return missing.length === 0 ? undefined : `output frames lack ${missing.join(', ')} usage`;
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

/**
 * Awaits GPU work a node started, and makes the pipeline's `done` wait for it too: a node stopped
 * while a dispatch is on the queue returns at once, but the dispatch still holds its textures (and
 * their fds) until its fence signals, and `done` must not settle before that. GPU work always ends
 * (the fence signals), so this never holds `done` up for long.
 */
export function awaitGpuWork<T>(scope: NodeScope<unknown>, work: Promise<T>): Promise<T> {
  scope.context.trackPending(work.then(
    () => undefined,
    () => undefined,
  ));
  return work;
}

