/**
 * `TextureDescriptor` and its validation: every field checked in TS before any native call,
 * each failure naming the field, what was expected and what was received.
 *
 * @module
 */
import { ALL_FORMATS, isTextureFormat, type TextureFormat } from './formats.js';
import { ALL_USAGES, isTextureUsage, type TextureUsage } from './usages.js';
import { checkIntegerInRange, checkKnownKeys, invalid, isPlainObject } from './validate.js';

/** The largest width or height accepted (the common Vulkan/Metal/WebGPU 2D limit). */
export const MAX_TEXTURE_DIMENSION = 16384;

/**
 * Describes a texture to create or import (the seed's `TextureDescriptor`).
 *
 * @example
 * ```ts
 * const desc: TextureDescriptor = {
 *   width: 1920,
 *   height: 1080,
 *   format: TextureFormat.Rgba8Unorm,
 *   usage: [TextureUsage.RenderAttachment, TextureUsage.TextureBinding],
 *   label: 'MySharedTexture',
 * };
 * ```
 */
export interface TextureDescriptor {
  /** Width in texels, 1 to 16384. */
  width: number;
  /** Height in texels, 1 to 16384. */
  height: number;
  /** Pixel format. */
  format: TextureFormat;
  /** How the texture will be used; at least one usage, no repeats. */
  usage: readonly TextureUsage[];
  /** A name for debugging and error messages. */
  label?: string | undefined;
}

/** A descriptor after validation: every field present, usage deduplicated and frozen. */
export interface ValidatedDescriptor {
  readonly width: number;
  readonly height: number;
  readonly format: TextureFormat;
  readonly usage: readonly TextureUsage[];
  readonly label: string;
}

const KEYS = ['width', 'height', 'format', 'usage', 'label'] as const;

/**
 * Validates a descriptor and returns a frozen, fully defaulted copy.
 *
 * @example
 * ```ts
 * validateDescriptor({ width: 4, height: 4, format: 'r8unorm', usage: ['copy-src'] }).label; // ''
 * ```
 * @throws {@link GeyserError} `InvalidDescriptor` naming the field; `TypeError` for an unknown key.
 */
export function validateDescriptor(descriptor: unknown, field = 'descriptor'): ValidatedDescriptor {
  if (!isPlainObject(descriptor)) invalid('a TextureDescriptor object', field, descriptor);
  checkKnownKeys(descriptor, KEYS, `a TextureDescriptor (${field})`);
  const width = checkIntegerInRange(descriptor.width, `${field}.width`, 1, MAX_TEXTURE_DIMENSION);
  const height = checkIntegerInRange(descriptor.height, `${field}.height`, 1, MAX_TEXTURE_DIMENSION);
  const format = descriptor.format;
  if (!isTextureFormat(format)) invalid(`one of the 21 texture formats (${ALL_FORMATS.join(', ')})`, `${field}.format`, format);
  const usage = descriptor.usage;
  if (!Array.isArray(usage) || usage.length === 0) invalid('a non-empty array of texture usages', `${field}.usage`, usage);
  usage.forEach((entry, index) => {
    if (!isTextureUsage(entry)) invalid(`one of ${ALL_USAGES.join(', ')}`, `${field}.usage[${index}]`, entry);
  });
  const label = descriptor.label ?? '';
  if (typeof label !== 'string' || label.length > 256) invalid('a string of at most 256 characters', `${field}.label`, label);
  return Object.freeze({ width, height, format, usage: Object.freeze([...new Set(usage as TextureUsage[])]), label });
}

/** A short name for messages: `texture 'cam0'` or `texture 1920x1080 rgba8unorm`. */
export function describeTexture(descriptor: ValidatedDescriptor): string {
  return descriptor.label
    ? `texture '${descriptor.label}'`
    : `texture ${descriptor.width}x${descriptor.height} ${descriptor.format}`;
}
