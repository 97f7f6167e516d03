/**
 * A per-frame stamp in the first pixel row that lets any consumer check that a frame arrived
 * intact and which frame it is, with no side channel: the row carries a magic tag, the sequence
 * number and a CRC-32 of the sequence number plus every byte below the first row.
 *
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import { checkPixelBuffer, checkSide } from './rgba-image.js';
import { crc32 } from './crc32.js';

/** `GYS1` in ASCII: marks a stamped frame. */
const MAGIC = [0x47, 0x59, 0x53, 0x31] as const;
/** Bytes of the stamp: magic, seq (u32 LE), crc (u32 LE). */
export const STAMP_BYTES = 12;
/** The largest sequence number a stamp holds. */
export const MAX_STAMP_SEQ = 0xffffffff;

/** What {@link verifyChecksum} found. */
export interface ChecksumVerdict {
  /** The stamped sequence number; -1 when the first row carries no stamp. */
  readonly seq: number;
  /** True when a stamp is present and its CRC matches the image. */
  readonly ok: boolean;
}

/**
 * Writes the stamp into the first row of an RGBA image: bytes 0-3 `GYS1`, 4-7 `seq` (little
 * endian), 8-11 the CRC-32 of bytes 4-7 followed by rows 1 to height-1; the rest of row 0 is set to
 * opaque black. Draw the picture first, stamp last: any later change below row 0 breaks the CRC.
 *
 * @example
 * ```ts
 * drawTestPattern(frame, seq);   // already stamps; or, after your own drawing:
 * stampChecksum(frame.data, frame.width, frame.height, seq);
 * ```
 * @param pixels - `width * height * 4` bytes of RGBA
 * @param width - at least 3 (the stamp is 12 bytes)
 * @param height - at least 2 (something to checksum)
 * @param seq - integer 0 to 2^32 - 1
 * @throws GeyserError `InvalidDescriptor` for a bad size, buffer or seq
 */
export function stampChecksum(pixels: Uint8Array, width: number, height: number, seq: number): void {
  checkStampable(pixels, width, height);
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_STAMP_SEQ) {
    throw new GeyserError('InvalidDescriptor', `Expected integer between 0 and ${MAX_STAMP_SEQ} for seq but received ${String(seq)} of type ${typeof seq}`);
  }
  const rowBytes = width * 4;
  for (let i = STAMP_BYTES; i < rowBytes; i += 4) {
    pixels[i] = 0;
    pixels[i + 1] = 0;
    pixels[i + 2] = 0;
    pixels[i + 3] = 255;
  }
  const view = new DataView(pixels.buffer, pixels.byteOffset, STAMP_BYTES);
  MAGIC.forEach((byte, i) => view.setUint8(i, byte));
  view.setUint32(4, seq, true);
  view.setUint32(8, stampCrc(pixels, rowBytes), true);
}

/**
 * Reads the stamp of an RGBA image and checks its CRC against the image.
 *
 * @example
 * ```ts
 * const { seq, ok } = verifyChecksum(frame.data, frame.width, frame.height);
 * if (!ok) throw new Error(`frame ${seq} was corrupted`);
 * ```
 * @param pixels - `width * height * 4` bytes of RGBA
 * @param width - at least 3
 * @param height - at least 2
 * @returns the stamped seq and whether the image matches it; `{ seq: -1, ok: false }` without a stamp
 * @throws GeyserError `InvalidDescriptor` for a bad size or buffer
 */
export function verifyChecksum(pixels: Uint8Array, width: number, height: number): ChecksumVerdict {
  checkStampable(pixels, width, height);
  if (!MAGIC.every((byte, i) => pixels[i] === byte)) return { seq: -1, ok: false };
  const view = new DataView(pixels.buffer, pixels.byteOffset, STAMP_BYTES);
  const seq = view.getUint32(4, true);
  return { seq, ok: view.getUint32(8, true) === stampCrc(pixels, width * 4) };
}

/** CRC of the seq bytes then everything below row 0. */
function stampCrc(pixels: Uint8Array, rowBytes: number): number {
  return crc32(pixels.subarray(rowBytes), crc32(pixels.subarray(4, 8)));
}

/** Checks the size can hold a stamp and the buffer matches it. */
function checkStampable(pixels: Uint8Array, width: number, height: number): void {
  checkSide(width, 'width');
  checkSide(height, 'height');
  if (width < 3) throw new GeyserError('InvalidDescriptor', `Expected width of at least 3 for a checksum stamp but received ${width}`);
  if (height < 2) throw new GeyserError('InvalidDescriptor', `Expected height of at least 2 for a checksum stamp but received ${height}`);
  checkPixelBuffer(pixels, width, height, 4, 'pixels');
}
