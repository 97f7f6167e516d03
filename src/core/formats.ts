/**
 * The 21 texture formats of the seed API, spelled as WebGPU spells them, and their properties.
 *
 * @module
 */
import { GeyserError } from './errors.js';
import { describeValue } from './validate.js';

/**
 * Texture formats: seed spelling -> WebGPU string.
 *
 * @example
 * ```ts
 * import { TextureFormat } from 'geyser';
 * TextureFormat.Rgba8Unorm === 'rgba8unorm'; // true
 * ```
 */
export const TextureFormat = {
  Rgba8Unorm: 'rgba8unorm',
  Bgra8Unorm: 'bgra8unorm',
  Rgba8Srgb: 'rgba8unorm-srgb',
  Bgra8Srgb: 'bgra8unorm-srgb',
  R8Unorm: 'r8unorm',
  Rg8Unorm: 'rg8unorm',
  R16Float: 'r16float',
  Rg16Float: 'rg16float',
  Rgba16Float: 'rgba16float',
  R16Uint: 'r16uint',
  R16Sint: 'r16sint',
  R32Float: 'r32float',
  Rg32Float: 'rg32float',
  Rgba32Float: 'rgba32float',
  R32Uint: 'r32uint',
  R32Sint: 'r32sint',
  Depth32Float: 'depth32float',
  Depth24Plus: 'depth24plus',
  Depth24PlusStencil8: 'depth24plus-stencil8',
  Rgb10a2Unorm: 'rgb10a2unorm',
  Rg11b10Float: 'rg11b10ufloat',
} as const;

/** A texture format's WebGPU string, e.g. `'rgba8unorm'`. */
export type TextureFormat = (typeof TextureFormat)[keyof typeof TextureFormat];

/** Which aspects a format has. */
export type FormatAspects = 'color' | 'depth' | 'depth-stencil';

/** What kind of numbers a format's channels hold. */
export type FormatSampleType = 'unorm' | 'unorm-srgb' | 'float' | 'ufloat' | 'uint' | 'sint' | 'depth';

/** Properties of one texture format. */
export interface FormatInfo {
  /** WebGPU spelling. */
  readonly format: TextureFormat;
  /** Seed (Rust enum) spelling. */
  readonly seedName: keyof typeof TextureFormat;
  /**
   * Bytes per texel in tightly packed CPU copies (`readTexture`/`writeTexture`); for the opaque
   * depth formats, the size of the smallest storage that holds them.
   */
  readonly bytesPerTexel: number;
  /** Number of channels (components). */
  readonly channels: number;
  /** Color, depth, or depth plus stencil. */
  readonly aspects: FormatAspects;
  /** Numeric interpretation of the channels. */
  readonly sampleType: FormatSampleType;
  /**
   * Whether texels can be copied to and from the CPU. False for `depth24plus` and
   * `depth24plus-stencil8`, whose memory layout the implementation chooses (as in WebGPU).
   */
  readonly copyable: boolean;
  /** Whether the format can be a storage binding on common hardware. */
  readonly storage: boolean;
}

const table: readonly FormatInfo[] = [
  info('Rgba8Unorm', 4, 4, 'color', 'unorm', true, true),
  info('Bgra8Unorm', 4, 4, 'color', 'unorm', true, false),
  info('Rgba8Srgb', 4, 4, 'color', 'unorm-srgb', true, false),
  info('Bgra8Srgb', 4, 4, 'color', 'unorm-srgb', true, false),
  info('R8Unorm', 1, 1, 'color', 'unorm', true, false),
  info('Rg8Unorm', 2, 2, 'color', 'unorm', true, false),
  info('R16Float', 2, 1, 'color', 'float', true, false),
  info('Rg16Float', 4, 2, 'color', 'float', true, false),
  info('Rgba16Float', 8, 4, 'color', 'float', true, true),
  info('R16Uint', 2, 1, 'color', 'uint', true, false),
  info('R16Sint', 2, 1, 'color', 'sint', true, false),
  info('R32Float', 4, 1, 'color', 'float', true, true),
  info('Rg32Float', 8, 2, 'color', 'float', true, true),
  info('Rgba32Float', 16, 4, 'color', 'float', true, true),
  info('R32Uint', 4, 1, 'color', 'uint', true, true),
  info('R32Sint', 4, 1, 'color', 'sint', true, true),
  info('Depth32Float', 4, 1, 'depth', 'depth', true, false),
  info('Depth24Plus', 4, 1, 'depth', 'depth', false, false),
  info('Depth24PlusStencil8', 4, 2, 'depth-stencil', 'depth', false, false),
  info('Rgb10a2Unorm', 4, 4, 'color', 'unorm', true, false),
  info('Rg11b10Float', 4, 3, 'color', 'ufloat', true, false),
];

function info(
  seedName: keyof typeof TextureFormat,
  bytesPerTexel: number,
  channels: number,
  aspects: FormatAspects,
  sampleType: FormatSampleType,
  copyable: boolean,
  storage: boolean,
): FormatInfo {
  return Object.freeze({ format: TextureFormat[seedName], seedName, bytesPerTexel, channels, aspects, sampleType, copyable, storage });
}

const byFormat: ReadonlyMap<string, FormatInfo> = new Map(table.map((entry) => [entry.format, entry]));

/** All 21 formats, in the seed's order. */
export const ALL_FORMATS: readonly TextureFormat[] = table.map((entry) => entry.format);

/**
 * Whether `value` is one of the 21 format strings.
 *
 * @example
 * ```ts
 * isTextureFormat('rgba8unorm'); // true
 * isTextureFormat('rgb8unorm');  // false
 * ```
 */
export function isTextureFormat(value: unknown): value is TextureFormat {
  return typeof value === 'string' && byFormat.has(value);
}

/**
 * The properties of a format.
 *
 * @example
 * ```ts
 * formatInfo('rgba16float').bytesPerTexel; // 8
 * ```
 * @throws {@link GeyserError} `InvalidDescriptor` for an unknown format string.
 */
export function formatInfo(format: TextureFormat): FormatInfo {
  const found = byFormat.get(format);
  if (found === undefined) {
    throw new GeyserError(
      'InvalidDescriptor',
      `Expected one of the 21 texture formats (${ALL_FORMATS.join(', ')}) for format but received ${describeValue(format)}`,
    );
  }
  return found;
}

/**
 * Bytes in a tightly packed CPU copy of a `width` x `height` texture of `format`.
 *
 * @example
 * ```ts
 * textureByteLength('rgba8unorm', 1920, 1080); // 8294400
 * ```
 */
export function textureByteLength(format: TextureFormat, width: number, height: number): number {
  return formatInfo(format).bytesPerTexel * width * height;
}
