/**
 * `HostFence`: a fence on a sealed memfd page, shared across processes.
 *
 * @module
 */
import type { GeyserError } from '../errors.js';
import { awaitNative, callNative } from '../native.js';
import type { ExportableFence } from '../types.js';
import type { NativeHostSync } from './host-native.js';
import { HostSyncHold } from './host-sync-hold.js';
import { timeoutArgument } from './sync-arguments.js';

/**
 * A fence of the host backend: signaled or not; `wait` does not consume the signal (every waiter,
 * in every process, sees it) until `reset()`.
 *
 * @example
 * ```ts
 * const fence = manager.createExportableFence();
 * setTimeout(() => fence.signal(), 10);
 * await fence.wait(1000);
 * fence.reset();
 * fence.release();
 * ```
 */
export class HostFence implements ExportableFence {
  /** Always `'host'`. */
  readonly backend = 'host' as const;
  /** True when imported from a handle. */
  readonly imported: boolean;
  readonly #hold: HostSyncHold;

  /**
   * @internal
   * @param nativeSync - the mapped page (owned from now on)
   * @param imported - whether it came from a handle
   * @param onRelease - called once, when released
   */
  constructor(nativeSync: NativeHostSync, imported: boolean, onRelease: (fence: HostFence) => void) {
    this.imported = imported;
    this.#hold = new HostSyncHold(nativeSync, () => 'fence', () => onRelease(this));
  }

  /**
   * Whether the fence is signaled now.
   *
   * @throws {@link GeyserError} `Released` after release.
   */
  get signaled(): boolean {
    this.assertAlive();
    return this.#hold.get().value !== 0;
  }

  /** True once released. */
  get released(): boolean {
    return this.#hold.released;
  }

  /**
   * Throws `Released` if released.
   *
   * @internal
   */
  assertAlive(): void {
    this.#hold.get();
  }

  /**
   * Signals the fence (signaling a signaled fence changes nothing) and wakes every waiter.
   *
   * @example
   * ```ts
   * fence.signal();
   * ```
   * @throws {@link GeyserError} `Released` after release.
   */
  signal(): void {
    this.assertAlive();
    callNative(() => this.#hold.get().signal(1));
  }

  /**
   * Resolves once the fence is signaled (without consuming it).
   *
   * @example
   * ```ts
   * await fence.wait(500);
   * ```
   * @param timeoutMs - reject with `Timeout` after this many ms (0 checks once); default: forever
   * @throws {@link GeyserError} (as a rejection) `Timeout`; `Released` when released before or
   *   during the wait; `Other` for a bad timeout.
   */
  async wait(timeoutMs?: number): Promise<void> {
    this.assertAlive();
    const timeout = timeoutArgument(timeoutMs);
    return awaitNative(callNative(() => this.#hold.get().wait(1, timeout)));
  }

  /**
   * Returns the fence to unsignaled.
   *
   * @example
   * ```ts
   * fence.reset();
   * ```
   * @throws {@link GeyserError} `Released` after release.
   */
  reset(): void {
    this.assertAlive();
    callNative(() => this.#hold.get().reset());
  }

  /**
   * A new close-on-exec fd for the page, owned by the caller.
   *
   * @internal
   */
  exportFd(): number {
    return this.#hold.exportFd();
  }

  /** Frees it (idempotent). Pending waits in this process reject with `Released`. */
  release(): void {
    this.#hold.release();
  }

  /** Same as {@link HostFence.release}. */
  [Symbol.dispose](): void {
    this.release();
  }
}
