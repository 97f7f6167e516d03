/**
 * A Vulkan fence that can cross processes.
 *
 * @module
 */
import type { GeyserError } from '../errors.js';
import { awaitNative, callNative } from '../native.js';
import type { ExportableFence } from '../types.js';
import type { NativeFence } from './binding.js';
import { OwnedNative } from './owned-native.js';
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
  readonly #held: OwnedNative<NativeFence>;
  readonly #onRelease: (fence: VulkanFence) => void;

  /** @internal */
  constructor(fence: NativeFence, handleType: VulkanSyncHandleType, imported: boolean, owner: object, onRelease: (f: VulkanFence) => void) {
    this.handleType = handleType;
    this.imported = imported;
    this.#held = new OwnedNative(fence, owner, { released: 'fence', owned: 'fence' });
    this.#onRelease = onRelease;
  }

  /** True once released. */
  get released(): boolean {
    return this.#held.released;
  }

  /**
   * Whether the fence is signaled now (`vkGetFenceStatus`).
   *
   * @throws {@link GeyserError} `Released` after release.
   */
  get signaled(): boolean {
    const fence = this.#held.get();
    return callNative(() => fence.signaled());
  }

  /**
   * Signals it through an empty queue submission.
   *
   * @throws {@link GeyserError} `Released` after release.
   */
  signal(): void {
    const fence = this.#held.get();
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
      const fence = this.#held.get();
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
    const fence = this.#held.get();
    callNative(() => fence.reset());
  }

  /** @internal */
  nativeFor(owner: object): NativeFence {
    return this.#held.for(owner);
  }

  /** Frees the fence (idempotent); a wait in progress rejects with `Released`. */
  release(): void {
    this.#held.close(() => this.#onRelease(this));
  }

  /** Same as {@link VulkanFence.release}, for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }

}
