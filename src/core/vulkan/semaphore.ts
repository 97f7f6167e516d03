/**
 * A Vulkan semaphore that can cross processes (binary or timeline, opaque fd or sync fd).
 *
 * @module
 */
import { GeyserError } from '../errors.js';
import { awaitNative, callNative } from '../native.js';
import type { ExportableSemaphore } from '../types.js';
import { expectedMessage } from '../validate.js';
import type { NativeSemaphore } from './binding.js';
import { OwnedNative } from './owned-native.js';

/** How a semaphore or fence is exported: a reusable opaque fd, or a one-shot sync fd (binary only). */
export type VulkanSyncHandleType = 'opaque-fd' | 'sync-fd';

/** Checks a counter value: a non-negative safe integer. */
export function checkCounterValue(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new GeyserError('InvalidDescriptor', expectedMessage('non-negative safe integer', field, value));
  }
  return value;
}

/** Checks a wait timeout: undefined (forever) or a non-negative finite number of ms. */
export function checkTimeout(timeoutMs: unknown): number {
  if (timeoutMs === undefined) return -1;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new GeyserError('InvalidDescriptor', expectedMessage('non-negative number of milliseconds', 'timeoutMs', timeoutMs));
  }
  return timeoutMs;
}

/**
 * An exportable `VkSemaphore`. A timeline semaphore's counter is signaled from the host with
 * {@link VulkanSemaphore.signal}, from the GPU queue with `manager.submitSignal`, and waited on off
 * the JS thread with {@link VulkanSemaphore.wait}.
 *
 * @example
 * ```ts
 * const semaphore = manager.createExportableSemaphore({ timeline: true });
 * const handle = manager.exportSemaphore(semaphore); // send it to the peer
 * await semaphore.wait(1, 5000); // resolves once the peer signals 1
 * ```
 */
export class VulkanSemaphore implements ExportableSemaphore {
  /** Always `'vulkan'`. */
  readonly backend = 'vulkan' as const;
  /** True for a timeline semaphore, false for a binary one. */
  readonly timeline: boolean;
  /** True when imported from a handle. */
  readonly imported: boolean;
  /** How it is exported. */
  readonly handleType: VulkanSyncHandleType;
  readonly #held: OwnedNative<NativeSemaphore>;
  readonly #onRelease: (semaphore: VulkanSemaphore) => void;

  /** @internal */
  constructor(semaphore: NativeSemaphore, timeline: boolean, handleType: VulkanSyncHandleType, imported: boolean, owner: object, onRelease: (s: VulkanSemaphore) => void) {
    this.timeline = timeline;
    this.handleType = handleType;
    this.imported = imported;
    this.#held = new OwnedNative(semaphore, owner, { released: `${timeline ? 'timeline' : 'binary'} semaphore`, owned: 'semaphore' });
    this.#onRelease = onRelease;
  }

  /** True once released. */
  get released(): boolean {
    return this.#held.released;
  }

  /**
   * The counter (timeline). A binary semaphore has no readable state: 0.
   *
   * @throws {@link GeyserError} `Released` after release.
   */
  get value(): number {
    const semaphore = this.#held.get();
    return this.timeline ? callNative(() => semaphore.value()) : 0;
  }

  /**
   * Signals from the host: sets a timeline's counter to `value` (greater than the current value);
   * for a binary semaphore, an empty queue submission signals it (`value` is ignored).
   *
   * @param value - the new counter value
   * @throws {@link GeyserError} `InvalidDescriptor` for a value that is not above the counter; `Released`.
   */
  signal(value: number): void {
    const semaphore = this.#held.get();
    checkCounterValue(value, 'value');
    if (this.timeline) {
      const current = callNative(() => semaphore.value());
      if (value <= current) {
        throw new GeyserError('InvalidDescriptor', expectedMessage(`integer greater than the current value ${current}`, 'value', value));
      }
    }
    callNative(() => semaphore.signal(value));
  }

  /**
   * Resolves once the counter reaches `value` (timeline) or the signal arrives (binary, which
   * consumes it). Runs on a worker thread; the JS thread never blocks.
   *
   * @param value - the counter value to wait for
   * @param timeoutMs - reject with `Timeout` after this many ms (default: wait forever)
   * @throws {@link GeyserError} `Timeout`; `Released` if released meanwhile.
   */
  wait(value: number, timeoutMs?: number): Promise<void> {
    try {
      const semaphore = this.#held.get();
      checkCounterValue(value, 'value');
      return awaitNative(semaphore.wait(value, checkTimeout(timeoutMs)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** @internal */
  nativeFor(owner: object): NativeSemaphore {
    return this.#held.for(owner);
  }

  /** Frees the semaphore (idempotent); a wait in progress rejects with `Released`. */
  release(): void {
    this.#held.close(() => this.#onRelease(this));
  }

  /** Same as {@link VulkanSemaphore.release}, for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }

}
