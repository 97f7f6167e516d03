/**
 * One native Vulkan sync object held by its JS wrapper: usable until closed exactly once, and
 * usable only with the manager that made it. The wrappers (fence, semaphore) share this part.
 *
 * @internal
 * @module
 */
import { GeyserError } from '../errors.js';
import { callNative } from '../native.js';

/** The names a wrapper's errors use. */
export interface OwnedNativeNames {
  /** Subject of `... has been released`, e.g. `'timeline semaphore'`. */
  released: string;
  /** Subject of `the ... belongs to another Vulkan manager`, e.g. `'semaphore'`. */
  owned: string;
}

/** @internal */
export class OwnedNative<N extends { close(): void }> {
  #native: N | undefined;
  readonly #owner: object;
  readonly #names: OwnedNativeNames;

  constructor(native: N, owner: object, names: OwnedNativeNames) {
    this.#native = native;
    this.#owner = owner;
    this.#names = names;
  }

  /** True once closed. */
  get released(): boolean {
    return this.#native === undefined;
  }

  /** The native object; `Released` once closed. */
  get(): N {
    if (this.#native === undefined) throw new GeyserError('Released', `${this.#names.released} has been released`);
    return this.#native;
  }

  /** The native object for `owner`'s use; `InvalidTextureHandle` for another manager. */
  for(owner: object): N {
    if (owner !== this.#owner) throw new GeyserError('InvalidTextureHandle', `the ${this.#names.owned} belongs to another Vulkan manager`);
    return this.get();
  }

  /** Closes it once: `beforeClose` runs first; a second call does nothing. */
  close(beforeClose: () => void): void {
    const native = this.#native;
    if (native === undefined) return;
    this.#native = undefined;
    beforeClose();
    callNative(() => native.close());
  }
}
