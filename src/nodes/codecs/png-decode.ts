/**
 * A PNG decoder on `node:zlib`: 8-bit gray, gray+alpha, RGB, RGBA and palette images (with
 * `tRNS` transparency), all five filters, to RGBA. Interlaced and 16-bit images are refused.
 *
 * @module
 */
import { inflateSync } from 'node:zlib';
import { GeyserError } from '../../core/errors.js';
import { crc32 } from '../kernels/crc32.js';
import type { RgbaImage } from '../kernels/rgba-image.js';
import { unfilterLine } from './png-filters.js';

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE: Uint8Array = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

/** Channels per pixel of each PNG color type. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The parsed header and the chunks decoding needs. */
interface PngParts {
  width: number;
  height: number;
  colorType: number;
  palette: Uint8Array | undefined;
  transparency: Uint8Array | undefined;
  compressed: Uint8Array;
}

/**
 * Decodes a PNG file to an RGBA image.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const image = decodePng(readFileSync('logo.png'), 'logo.png');
 * console.log(image.width, image.height);
 * ```
 * @param file - the whole file
 * @param name - how to name the file in errors; default `'png'`
 * @returns the pixels, RGBA8, tightly packed
 * @throws GeyserError `InvalidDescriptor` for a file that is not a valid PNG (bad signature, CRC,
 *   chunk or data), `FormatNotSupported` for an interlaced or non-8-bit PNG
 */
export function decodePng(file: Uint8Array, name = 'png'): RgbaImage {
  if (!(file instanceof Uint8Array)) throw new GeyserError('InvalidDescriptor', `Expected a Uint8Array for ${name} but received ${typeof file}`);
  const parts = readChunks(file, name);
  const channels = CHANNELS[parts.colorType]!;
  const rowBytes = parts.width * channels;
  let raw: Uint8Array;
  try {
    raw = inflateSync(parts.compressed);
  } catch (cause) {
    throw new GeyserError('InvalidDescriptor', `${name}: image data does not inflate (${(cause as Error).message})`, { cause });
  }
  const expected = (rowBytes + 1) * parts.height;
  if (raw.length < expected) {
    throw new GeyserError('InvalidDescriptor', `${name}: image data holds ${raw.length} bytes but ${parts.width}x${parts.height} needs ${expected}`);
  }
  const rows = unfilter(raw, rowBytes, parts.height, channels, name);
  return { data: toRgba(rows, parts, channels, name), width: parts.width, height: parts.height };
}

/** Walks the chunks, checking each CRC, and collects what decoding needs. */
function readChunks(file: Uint8Array, name: string): PngParts {
  if (file.length < 8 || !PNG_SIGNATURE.every((byte, i) => file[i] === byte)) {
    throw new GeyserError('InvalidDescriptor', `${name}: not a PNG file (bad signature)`);
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const idat: Uint8Array[] = [];
  let header: Omit<PngParts, 'palette' | 'transparency' | 'compressed'> | undefined;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  let offset = 8;
  for (;;) {
    if (offset + 12 > file.length) throw new GeyserError('InvalidDescriptor', `${name}: truncated before IEND`);
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...file.subarray(offset + 4, offset + 8));
    const end = offset + 8 + length;
    if (end + 4 > file.length) throw new GeyserError('InvalidDescriptor', `${name}: chunk ${type} runs past the end of the file`);
    const body = file.subarray(offset + 8, end);
    if (crc32(file.subarray(offset + 4, end)) !== view.getUint32(end)) {
      throw new GeyserError('InvalidDescriptor', `${name}: CRC mismatch in chunk ${type} at byte ${offset}`);
    }
    if (type === 'IHDR') header = readHeader(body, name);
    else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    offset = end + 4;
  }
  if (header === undefined) throw new GeyserError('InvalidDescriptor', `${name}: no IHDR chunk`);
  if (idat.length === 0) throw new GeyserError('InvalidDescriptor', `${name}: no IDAT chunk`);
  if (header.colorType === 3 && palette === undefined) throw new GeyserError('InvalidDescriptor', `${name}: palette image without a PLTE chunk`);
  return { ...header, palette, transparency, compressed: Buffer.concat(idat) };
}

/** Parses and checks IHDR. */
function readHeader(body: Uint8Array, name: string): { width: number; height: number; colorType: number } {
  if (body.length !== 13) throw new GeyserError('InvalidDescriptor', `${name}: IHDR is ${body.length} bytes, expected 13`);
  const view = new DataView(body.buffer, body.byteOffset, 13);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colorType, compression, filterMethod, interlace] = body.subarray(8, 13);
  if (width < 1 || height < 1 || width > 16384 || height > 16384) {
    throw new GeyserError('InvalidDescriptor', `${name}: size ${width}x${height} is outside 1..16384`);
  }
  if (CHANNELS[colorType!] === undefined) throw new GeyserError('InvalidDescriptor', `${name}: unknown color type ${colorType}`);
  if (bitDepth !== 8) throw new GeyserError('FormatNotSupported', `${name}: bit depth ${bitDepth} is not supported (only 8)`);
  if (compression !== 0 || filterMethod !== 0) throw new GeyserError('InvalidDescriptor', `${name}: unknown compression or filter method`);
  if (interlace !== 0) throw new GeyserError('FormatNotSupported', `${name}: interlaced (Adam7) PNGs are not supported`);
  return { width, height, colorType: colorType! };
}

/** Reverses the per-row filters into tightly packed rows. */
function unfilter(raw: Uint8Array, rowBytes: number, height: number, bpp: number, name: string): Uint8Array {
  const rows = new Uint8Array(rowBytes * height);
  let previous = new Uint8Array(rowBytes);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)]!;
    const line = rows.subarray(y * rowBytes, (y + 1) * rowBytes);
    line.set(raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1)));
    if (!unfilterLine(filter, line, previous, bpp)) throw new GeyserError('InvalidDescriptor', `${name}: unknown filter type ${filter} on row ${y}`);
    previous = line;
  }
  return rows;
}

/** Expands gray, gray+alpha, RGB or palette rows to RGBA. */
function toRgba(rows: Uint8Array, parts: PngParts, channels: number, name: string): Uint8Array {
  const pixels = parts.width * parts.height;
  if (parts.colorType === 6) return rows;
  const out = new Uint8Array(pixels * 4);
  const trns = parts.transparency;
  for (let p = 0; p < pixels; p++) {
    const s = p * channels;
    const d = p * 4;
    switch (parts.colorType) {
      case 0: {
        const v = rows[s]!;
        out[d] = out[d + 1] = out[d + 2] = v;
        // A gray tRNS names one 16-bit sample value that is fully transparent.
        out[d + 3] = trns !== undefined && trns.length >= 2 && ((trns[0]! << 8) | trns[1]!) === v ? 0 : 255;
        break;
      }
      case 4:
        out[d] = out[d + 1] = out[d + 2] = rows[s]!;
        out[d + 3] = rows[s + 1]!;
        break;
      case 2: {
        const r = rows[s]!;
        const g = rows[s + 1]!;
        const b = rows[s + 2]!;
        out[d] = r;
        out[d + 1] = g;
        out[d + 2] = b;
        out[d + 3] = trns !== undefined && trns.length >= 6 && trns[1] === r && trns[3] === g && trns[5] === b ? 0 : 255;
        break;
      }
      default: {
        const index = rows[s]!;
        const palette = parts.palette!;
        if (index * 3 + 2 >= palette.length) throw new GeyserError('InvalidDescriptor', `${name}: palette index ${index} past the ${palette.length / 3}-entry palette`);
        out[d] = palette[index * 3]!;
        out[d + 1] = palette[index * 3 + 1]!;
        out[d + 2] = palette[index * 3 + 2]!;
        out[d + 3] = trns !== undefined && index < trns.length ? trns[index]! : 255;
      }
    }
  }
  return out;
}
