/**
 * `HostSemaphore`: a timeline or binary semaphore on a sealed memfd page, shared across processes.
 *
 * @module
 */
import { GeyserError } from '../errors.js';
import { awaitNative, callNative } from '../native.js';
import { expectedMessage } from '../validate.js';
import type { ExportableSemaphore } from '../types.js';
import type { NativeHostSync } from './host-native.js';
import { HostSyncHold } from './host-sync-hold.js';
import { counterArgument, timeoutArgument } from './sync-arguments.js';

/**
 * A semaphore of the host backend, with Vulkan's semantics. A **timeline** semaphore holds a
 * 64-bit counter that only grows (held exactly up to 2^53-1): `signal(v)` needs `v` above the
 * current value, `wait(v)` resolves once the counter reaches `v`. A **binary** semaphore is signaled
 * with 1 and each `wait()` consumes one signal, atomically across processes.
 *
 * A pending wait sleeps on a shared futex in a thread of its own (not the libuv pool, so any
 * number of waits can pend without starving file I/O, and a worker thread can be terminated
 * mid-wait). A wait already satisfied resolves on the JS thread with no thread at all. A pending
 * wait keeps the event loop alive, like a timer.
 *
 * @example
 * ```ts
 * const semaphore = manager.createExportableSemaphore({ timeline: true });
 * setTimeout(() => semaphore.signal(1), 10);
 * await semaphore.wait(1, 1000);
 * semaphore.release();
 * ```
 */
export class HostSemaphore implements ExportableSemaphore {
  /** Always `'host'`. */
  readonly backend = 'host' as const;
  /** True for a timeline semaphore, false for a binary one. */
  readonly timeline: boolean;
  /** True when imported from a handle. */
  readonly imported: boolean;
  readonly #hold: HostSyncHold;

  /**
   * @internal
   * @param nativeSync - the mapped page (owned from now on)
   * @param timeline - its kind
   * @param imported - whether it came from a handle
   * @param onRelease - called once, when released
   */
  constructor(nativeSync: NativeHostSync, timeline: boolean, imported: boolean, onRelease: (semaphore: HostSemaphore) => void) {
    this.timeline = timeline;
    this.imported = imported;
    this.#hold = new HostSyncHold(nativeSync, () => this.kindName, () => onRelease(this));
  }

  /** What it is, for messages: 'timeline semaphore' or 'binary semaphore'. */
  get kindName(): string {
    return this.timeline ? 'timeline semaphore' : 'binary semaphore';
  }

  /**
   * The counter (timeline) or 1/0 (binary: signaled or not).
   *
   * @throws {@link GeyserError} `Released` after release.
   */
  get value(): number {
    this.assertAlive();
    return this.#hold.get().value;
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
   * Signals from the host. Timeline: sets the counter to `value`, which must exceed it. Binary:
   * `value` is 1 (the default) and the semaphore must be unsignaled.
   *
   * @example
   * ```ts
   * semaphore.signal(semaphore.value + 1);
   * ```
   * @param value - the new counter value (timeline), or 1 (binary)
   * @throws {@link GeyserError} `Other` for a value that is not an integer; `InvalidDescriptor` for a
   *   timeline value not above the current one; `OperationNotSupported` for a binary semaphore
   *   already signaled; `Released` after release.
   */
  signal(value?: number): void {
    this.assertAlive();
    const checked = this.timeline ? counterArgument(value, 'value', 1) : binaryArgument(value);
    callNative(() => this.#hold.get().signal(checked));
  }

  /**
   * Resolves once the counter reaches `value` (timeline), or once a signal is consumed (binary).
   *
   * @example
   * ```ts
   * await semaphore.wait(5, 1000); // rejects with Timeout after 1 s
   * ```
   * @param value - the counter value to wait for (timeline), or 1 (binary; the default)
   * @param timeoutMs - reject with `Timeout` after this many ms (0 checks once); default: forever
   * @throws {@link GeyserError} (as a rejection) `Timeout` naming the value waited for and the value
   *   reached; `Released` when released before or during the wait; `Other` for bad arguments.
   */
  async wait(value?: number, timeoutMs?: number): Promise<void> {
    this.assertAlive();
    const target = this.timeline ? counterArgument(value, 'value') : binaryArgument(value);
    const timeout = timeoutArgument(timeoutMs);
    return awaitNative(callNative(() => this.#hold.get().wait(target, timeout)));
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

  /** Same as {@link HostSemaphore.release}. */
  [Symbol.dispose](): void {
    this.release();
  }
}

function binaryArgument(value: unknown): number {
  if (value === undefined || value === 1) return 1;
  throw new GeyserError('Other', expectedMessage('1 (or nothing)', 'value of a binary semaphore', value));
}
