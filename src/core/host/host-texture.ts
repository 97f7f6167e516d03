/**
 * `HostTexture`: a texture of the host backend, its texels in a sealed memfd mapped shared.
 *
 * @module
 */
import { describeTexture, type ValidatedDescriptor } from '../descriptor.js';
import { GeyserError } from '../errors.js';
import { TextureBase } from '../texture-base.js';
import type { NativeHostTexture } from './host-native.js';

/**
 * A texture whose texels live in CPU shared memory (a sealed memfd), tightly packed rows. Made by
 * {@link HostTextureShareManager.createShareableTexture} or {@link HostTextureShareManager.importTexture}.
 *
 * @example
 * ```ts
 * const manager = await createTextureShareManager({ backend: 'host' });
 * const texture = manager.createShareableTexture({ width: 4, height: 4, format: 'r8unorm', usage: ['copy-src'], label: 'mask' });
 * texture.release();
 * texture.release(); // idempotent
 * ```
 */
export class HostTexture extends TextureBase {
  /** Always `'host'`. */
  readonly backend = 'host' as const;
  /** The full validated descriptor. */
  readonly descriptor: ValidatedDescriptor;
  /** True when imported from a handle. */
  readonly imported: boolean;
  readonly #native: NativeHostTexture;
  readonly #onRelease: (texture: HostTexture) => void;
  #released = false;

  /**
   * @internal
   * @param nativeTexture - the mapped memfd (owned from now on)
   * @param descriptor - what it holds
   * @param imported - whether it came from a handle
   * @param onRelease - called once, when released
   */
  constructor(nativeTexture: NativeHostTexture, descriptor: ValidatedDescriptor, imported: boolean, onRelease: (texture: HostTexture) => void) {
    super();
    this.#native = nativeTexture;
    this.descriptor = descriptor;
    this.imported = imported;
    this.#onRelease = onRelease;
  }

  /** True once released. */
  get released(): boolean {
    return this.#released;
  }
  /** Bytes of texel memory (tightly packed). */
  get byteLength(): number {
    return this.#native.size;
  }

  /**
   * Throws `Released` naming the texture if it was released.
   *
   * @internal
   */
  assertAlive(): void {
    if (this.#released) throw new GeyserError('Released', `${describeTexture(this.descriptor)} has been released`);
  }

  /**
   * A new view of the shared mapping (zero copy); detached (length 0) once released.
   *
   * @internal
   */
  mappedView(): Uint8Array {
    this.assertAlive();
    return new Uint8Array(this.#native.buffer());
  }

  /**
   * A new close-on-exec fd for the memfd, owned by the caller.
   *
   * @internal
   */
  exportFd(): number {
    this.assertAlive();
    return this.#native.exportFd();
  }

  /**
   * Unmaps the memory (every view becomes length 0) and closes the fd. Idempotent. Handles
   * exported earlier stay valid: each owns its own fd.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#native.release();
    this.#onRelease(this);
  }

}
