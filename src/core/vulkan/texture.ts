/**
 * A Vulkan texture: a `VkImage` on exportable (opaque fd) memory, created here or imported.
 *
 * @module
 */
import { describeTexture, type ValidatedDescriptor } from '../descriptor.js';
import { GeyserError } from '../errors.js';
import { callNative } from '../native.js';
import { TextureBase } from '../texture-base.js';
import type { NativeImage } from './binding.js';

/** What the image's memory is, as the driver reported it. */
export interface VulkanImageInfo {
  /** Allocation size in bytes. */
  readonly size: number;
  /** The memory type index allocated from (or imported into). */
  readonly memoryTypeIndex: number;
  /** Whether the memory is a dedicated allocation for the image. */
  readonly dedicated: boolean;
  /** The `VkFormat` used, e.g. `'VK_FORMAT_D32_SFLOAT'` for depth24plus where X8_D24 is missing. */
  readonly vkFormat: string;
}

/**
 * A texture of the Vulkan backend. Made by `VulkanTextureShareManager.createShareableTexture` or
 * `importTexture`; not constructed directly.
 *
 * @example
 * ```ts
 * const texture = manager.createShareableTexture({ width: 256, height: 256, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'], label: 'cam0' });
 * console.log(texture.vulkan.vkFormat); // 'VK_FORMAT_R8G8B8A8_UNORM'
 * texture.release();
 * ```
 */
export class VulkanTexture extends TextureBase {
  /** Always `'vulkan'`. */
  readonly backend = 'vulkan' as const;
  /** The validated descriptor. */
  readonly descriptor: ValidatedDescriptor;
  /** True when imported from a handle. */
  readonly imported: boolean;
  /** The memory the driver gave the image. */
  readonly vulkan: VulkanImageInfo;
  #native: NativeImage | undefined;
  readonly #owner: object;
  readonly #onRelease: (texture: VulkanTexture) => void;

  /** @internal */
  constructor(image: NativeImage, descriptor: ValidatedDescriptor, imported: boolean, owner: object, onRelease: (texture: VulkanTexture) => void) {
    super();
    this.#native = image;
    this.descriptor = descriptor;
    this.imported = imported;
    this.#owner = owner;
    this.#onRelease = onRelease;
    this.vulkan = Object.freeze(callNative(() => image.info()));
  }

  /** True once {@link VulkanTexture.release} ran. */
  get released(): boolean {
    return this.#native === undefined;
  }

  /**
   * The native image, for the manager that made it.
   *
   * @internal
   * @throws {@link GeyserError} `Released` after release; `InvalidTextureHandle` for another manager's texture.
   */
  nativeFor(owner: object): NativeImage {
    if (owner !== this.#owner) {
      throw new GeyserError('InvalidTextureHandle', `${describeTexture(this.descriptor)} belongs to another Vulkan manager`);
    }
    if (this.#native === undefined) throw new GeyserError('Released', `${describeTexture(this.descriptor)} has been released`);
    return this.#native;
  }

  /**
   * Frees the image and its memory (idempotent). Handles exported earlier stay valid: the memory
   * lives on while any process holds it.
   */
  release(): void {
    const image = this.#native;
    if (image === undefined) return;
    this.#native = undefined;
    this.#onRelease(this);
    callNative(() => image.close());
  }

}
