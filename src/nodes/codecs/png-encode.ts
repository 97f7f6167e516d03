/**
 * A PNG encoder on `node:zlib`: RGBA8 in, a standard 8-bit RGBA PNG out, each row filtered with
 * whichever of the five filters leaves the smallest sum of absolute values (libpng's heuristic).
 *
 * @module
 */
import { deflateSync } from 'node:zlib';
import { checkIntegerInRange } from '../../core/validate.js';
import { crc32 } from '../kernels/crc32.js';
import { checkRgbaImage, type RgbaImage } from '../kernels/rgba-image.js';
import { filterLine, PngFilter } from './png-filters.js';
import { PNG_SIGNATURE } from './png-decode.js';

/** Options of {@link encodePng}. */
export interface PngEncodeOptions {
  /** zlib level, 0 (store, fastest) to 9 (smallest); default 6. */
  level?: number;
}

/** The filters tried on each row. */
const FILTERS = [PngFilter.None, PngFilter.Sub, PngFilter.Up, PngFilter.Average, PngFilter.Paeth] as const;

/**
 * Encodes an RGBA image as a PNG file.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('frame.png', encodePng(frame));
 * ```
 * @param image - the pixels
 * @param options - compression level
 * @returns the file bytes
 * @throws GeyserError `InvalidDescriptor` for a malformed image or level
 */
export function encodePng(image: RgbaImage, options: PngEncodeOptions = {}): Buffer {
  checkRgbaImage(image, 'image');
  const level = checkIntegerInRange(options.level ?? 6, 'level', 0, 9);
  const { width, height, data } = image;
  const rowBytes = width * 4;
  const filtered = new Uint8Array((rowBytes + 1) * height);
  const candidate = new Uint8Array(rowBytes);
  const zeros = new Uint8Array(rowBytes);
  for (let y = 0; y < height; y++) {
    const line = data.subarray(y * rowBytes, (y + 1) * rowBytes);
    const previous = y === 0 ? zeros : data.subarray((y - 1) * rowBytes, y * rowBytes);
    const out = filtered.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    let best = Infinity;
    for (const filter of FILTERS) {
      filterLine(filter, line, previous, 4, candidate);
      const cost = signedSum(candidate, best);
      if (cost < best) {
        best = cost;
        filtered[y * (rowBytes + 1)] = filter;
        out.set(candidate);
      }
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(filtered, { level })), chunk('IEND', new Uint8Array(0))]);
}

/** Sum of the bytes read as signed values' magnitudes; stops early once past `limit`. */
function signedSum(bytes: Uint8Array, limit: number): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) {
    const v = bytes[i]!;
    sum += v < 128 ? v : 256 - v;
    if (sum >= limit) return sum;
  }
  return sum;
}

/** One chunk: length, type, body, CRC of type and body. */
function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}
