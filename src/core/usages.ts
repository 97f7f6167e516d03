/**
 * The 5 texture usages of the seed API, spelled as WebGPU spells them.
 *
 * @module
 */

/**
 * Texture usages: seed spelling -> WebGPU string.
 *
 * @example
 * ```ts
 * import { TextureUsage } from 'geyser';
 * const usage = [TextureUsage.CopySrc, TextureUsage.RenderAttachment]; // ['copy-src', 'render-attachment']
 * ```
 */
export const TextureUsage = {
  CopySrc: 'copy-src',
  CopyDst: 'copy-dst',
  TextureBinding: 'texture-binding',
  RenderAttachment: 'render-attachment',
  StorageBinding: 'storage-binding',
} as const;

/** A texture usage's WebGPU string, e.g. `'copy-src'`. */
export type TextureUsage = (typeof TextureUsage)[keyof typeof TextureUsage];

/** All 5 usages, in the seed's order. */
export const ALL_USAGES: readonly TextureUsage[] = Object.values(TextureUsage);

/**
 * Whether `value` is one of the 5 usage strings.
 *
 * @example
 * ```ts
 * isTextureUsage('copy-src'); // true
 * ```
 */
export function isTextureUsage(value: unknown): value is TextureUsage {
  return typeof value === 'string' && (ALL_USAGES as readonly string[]).includes(value);
}
