/**
 * A Vulkan fence that can cross processes.
 *
 * @module
 */
import { GeyserError } from '../errors.js';
import { awaitNative, callNative } from '../native.js';
import type { ExportableFence } from '../types.js';
import type { NativeFence } from './binding.js';
import { checkTimeout, type VulkanSyncHandleType } from './semaphore.js';

/**
 * An exportable `VkFence`. `signal()` is an empty queue submission that signals it (a host cannot
 * signal a Vulkan fence directly), so it also orders after everything submitted before.
 *
 * @example
 * ```ts
 * const fence = manager.createExportableFence();
 * const handle = manager.exportFence(fence); // the peer imports it and waits
 * fence.signal();
 * ```
 */
export class VulkanFence implements ExportableFence {
  /** Always `'vulkan'`. */
  readonly backend = 'vulkan' as const;
  /** True when imported from a handle. */
  readonly imported: boolean;
  /** How it is exported. */
  readonly handleType: VulkanSyncHandleType;
  #native: NativeFence | undefined;
  readonly #owner: object;
  readonly #onRelease: (fence: VulkanFence) => void;

  /** @internal */
  constructor(fence: NativeFence, handleType: VulkanSyncHandleType, imported: boolean, owner: object, onRelease: (f: VulkanFence) => void) {
    this.#native = fence;
    this.handleType = handleType;
    this.imported = imported;
    this.#owner = owner;
    this.#onRelease = onRelease;
  }

  /** True once released. */
  get released(): boolean {
    return this.#native === undefined;
  }

  /**
   * Whether the fence is signaled now (`vkGetFenceStatus`).
   *
   * @throws {@link GeyserError} `Released` after release.
   */
  get signaled(): boolean {
    const fence = this.#get();
    return callNative(() => fence.signaled());
  }

  /**
   * Signals it through an empty queue submission.
   *
   * @throws {@link GeyserError} `Released` after release.
   */
  signal(): void {
    const fence = this.#get();
    callNative(() => fence.signal());
  }

  /**
   * Resolves once signaled; waits on a worker thread.
   *
   * @param timeoutMs - reject with `Timeout` after this many ms (default: wait forever)
   * @throws {@link GeyserError} `Timeout`; `Released` if released meanwhile.
   */
  wait(timeoutMs?: number): Promise<void> {
    try {
      const fence = this.#get();
      return awaitNative(fence.wait(checkTimeout(timeoutMs)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Returns the fence to unsignaled.
   *
   * @throws {@link GeyserError} `Released` after release.
   */
  reset(): void {
    const fence = this.#get();
    callNative(() => fence.reset());
  }

  /** @internal */
  nativeFor(owner: object): NativeFence {
    if (owner !== this.#owner) throw new GeyserError('InvalidTextureHandle', 'the fence belongs to another Vulkan manager');
    return this.#get();
  }

  /** Frees the fence (idempotent); a wait in progress rejects with `Released`. */
  release(): void {
    const fence = this.#native;
    if (fence === undefined) return;
    this.#native = undefined;
    this.#onRelease(this);
    callNative(() => fence.close());
  }

  /** Same as {@link VulkanFence.release}, for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }

  #get(): NativeFence {
    if (this.#native === undefined) throw new GeyserError('Released', 'fence has been released');
    return this.#native;
  }
}
