/**
 * CPU access to a frame's pixels: the texture's shared memory itself where the backend maps it
 * (host backend: zero copy), else a copy in and out through `readTexture` / `writeTexture`.
 *
 * @internal
 * @module
 */
import { debuglog } from 'node:util';
import { GeyserError } from '../../core/errors.js';
import { textureByteLength, type TextureFormat } from '../../core/formats.js';
import type { SharedTexture } from '../../core/types.js';
import type { Frame } from '../../pipeline/frame.js';
import type { RgbaImage } from '../kernels/rgba-image.js';

const debug = debuglog('geyser');

/** Backends already reported as taking the copy path (reported once each, not per frame). */
const reportedCopyPath = new Set<string>();

/** Says, once per backend, that CPU nodes copy frames there instead of mapping them. */
function reportCopyPath(backend: string): void {
  if (reportedCopyPath.has(backend)) return;
  reportedCopyPath.add(backend);
  debug('CPU pixel nodes: the %s backend cannot map textures; frames are copied through readTexture/writeTexture', backend);
}

/** The formats the CPU kernels read as RGBA8 (sRGB frames are processed as stored). */
export const RGBA_FORMATS: readonly TextureFormat[] = ['rgba8unorm', 'rgba8unorm-srgb'];

/** Formats with 4 bytes of 8-bit color per texel: what a checksum stamp can sit in. */
export const COLOR8X4_FORMATS: readonly TextureFormat[] = ['rgba8unorm', 'rgba8unorm-srgb', 'bgra8unorm', 'bgra8unorm-srgb'];

/** Throws `FormatNotSupported` naming the node unless the frame is RGBA8. */
export function checkRgbaFrame(frame: Frame, node: string): void {
  if (!RGBA_FORMATS.includes(frame.format)) {
    throw new GeyserError('FormatNotSupported', `node '${node}' works on ${RGBA_FORMATS.join(' or ')} frames but frame ${frame.seq} is ${frame.format}`);
  }
}

/** The texture's bytes: mapped (live, zero copy) when the backend can, else a copy. */
export function readPixels(frame: Frame): Uint8Array {
  const manager = frame.context.manager;
  const texture = frame.texture;
  const mapped = manager.mapTexture?.(texture);
  if (mapped !== undefined) return mapped;
  reportCopyPath(manager.backend);
  return manager.readTexture(texture);
}

/** Pixels a node writes, then commits to the texture (a no-op when they are the mapped memory). */
export interface WritablePixels {
  readonly data: Uint8Array;
  commit(): void;
}

/**
 * Memory to write the frame's texture through: its mapping, or (backends that cannot map) a new
 * buffer copied into the texture on commit. Commit before awaiting anything.
 */
export function writablePixels(frame: Frame): WritablePixels {
  const manager = frame.context.manager;
  const texture: SharedTexture = frame.texture;
  const mapped = manager.mapTexture?.(texture);
  if (mapped !== undefined) return { data: mapped, commit: () => undefined };
  reportCopyPath(manager.backend);
  const data = new Uint8Array(textureByteLength(texture.format, texture.width, texture.height));
  return { data, commit: () => manager.writeTexture(texture, data) };
}

/** An RGBA frame's pixels as a kernel image (read side). */
export function readRgba(frame: Frame, node: string): RgbaImage {
  checkRgbaFrame(frame, node);
  return { data: readPixels(frame), width: frame.width, height: frame.height };
}
