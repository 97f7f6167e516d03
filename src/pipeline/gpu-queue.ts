/**
 * The optional GPU-queue operations a backend may offer (the Vulkan manager does), used by edges to
 * keep per-frame sync off the host.
 *
 * @internal
 * @module
 */
import type { ExportableSemaphore, TextureShareManager } from '../core/types.js';

/** Queue-side signal/wait of a timeline semaphore (Vulkan: an empty vkQueueSubmit). */
export interface GpuQueueOps {
  submitSignal(semaphore: ExportableSemaphore, value: number): void | Promise<void>;
  submitWait(semaphore: ExportableSemaphore, value: number): void | Promise<void>;
}

/** The manager's queue operations, when it has them. */
export function gpuQueue(manager: TextureShareManager): GpuQueueOps | undefined {
  const ops = manager as Partial<GpuQueueOps>;
  return typeof ops.submitSignal === 'function' && typeof ops.submitWait === 'function' ? (ops as GpuQueueOps) : undefined;
}

/** Signals `value` on the queue when the manager can, else from the host. */
export async function signalPoint(manager: TextureShareManager, semaphore: ExportableSemaphore, value: number): Promise<void> {
  const queue = gpuQueue(manager);
  if (queue) await queue.submitSignal(semaphore, value);
  else semaphore.signal(value);
}

/** Makes later queue work wait for `value` (GPU-side) when the manager can, else waits on the host. */
export async function waitPoint(manager: TextureShareManager, semaphore: ExportableSemaphore, value: number, timeoutMs?: number): Promise<void> {
  const queue = gpuQueue(manager);
  if (queue) await queue.submitWait(semaphore, value);
  else await semaphore.wait(value, timeoutMs);
}
