/**
 * The part the host fence and semaphore share: their mapped sync page, usable until released
 * exactly once.
 *
 * @internal
 * @module
 */
import { GeyserError } from '../errors.js';
import { callNative } from '../native.js';
import type { NativeHostSync } from './host-native.js';

/** @internal */
export class HostSyncHold {
  readonly #native: NativeHostSync;
  readonly #name: () => string;
  readonly #onRelease: () => void;
  #released = false;

  /**
   * @param native - the mapped page (owned from now on)
   * @param name - what it is, for `the ... has been released`
   * @param onRelease - called once, when released
   */
  constructor(native: NativeHostSync, name: () => string, onRelease: () => void) {
    this.#native = native;
    this.#name = name;
    this.#onRelease = onRelease;
  }

  /** True once released. */
  get released(): boolean {
    return this.#released;
  }

  /** The page; `Released` once released. */
  get(): NativeHostSync {
    if (this.#released) throw new GeyserError('Released', `the ${this.#name()} has been released`);
    return this.#native;
  }

  /** A new close-on-exec fd for the page, owned by the caller. */
  exportFd(): number {
    const native = this.get();
    return callNative(() => native.exportFd());
  }

  /** Frees the page (idempotent); pending waits in this process reject with `Released`. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#native.release();
    this.#onRelease();
  }
}
