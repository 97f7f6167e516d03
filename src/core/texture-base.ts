/**
 * The descriptor-derived half of every backend's {@link SharedTexture}, written once.
 *
 * @module
 */
import type { ValidatedDescriptor } from './descriptor.js';
import type { TextureFormat } from './formats.js';
import type { BackendName, SharedTexture } from './types.js';
import type { TextureUsage } from './usages.js';

/**
 * Base class for backend textures: the size, format, usage and label getters read the validated
 * descriptor; subclasses own the memory and implement `release`.
 *
 * @example
 * ```ts
 * class MyTexture extends TextureBase {
 *   readonly backend = 'host';
 *   // descriptor, imported, released, release()
 * }
 * ```
 */
export abstract class TextureBase implements SharedTexture {
  abstract readonly backend: BackendName;
  abstract readonly descriptor: ValidatedDescriptor;
  abstract readonly imported: boolean;
  abstract readonly released: boolean;
  abstract release(): void;

  /** Width in texels. */
  get width(): number {
    return this.descriptor.width;
  }
  /** Height in texels. */
  get height(): number {
    return this.descriptor.height;
  }
  /** Pixel format. */
  get format(): TextureFormat {
    return this.descriptor.format;
  }
  /** Usages it was created with (for an import: the ones the importer asked for). */
  get usage(): readonly TextureUsage[] {
    return this.descriptor.usage;
  }
  /** Debug label ('' if none). */
  get label(): string {
    return this.descriptor.label;
  }

  /** Same as {@link release}. */
  [Symbol.dispose](): void {
    this.release();
  }
}
