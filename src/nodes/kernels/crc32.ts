/**
 * CRC-32 (IEEE 802.3, the polynomial PNG and zlib use).
 *
 * @module
 */
import * as zlib from 'node:zlib';

/** Byte-at-a-time lookup table for the reflected polynomial 0xEDB88320. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** zlib's native CRC-32 (Node >= 20.15): an order of magnitude faster than the table loop. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/**
 * Continues a CRC-32 over `data` in plain JavaScript (what {@link crc32} uses when zlib lacks one).
 *
 * @internal
 */
export function crc32Portable(data: Uint8Array, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * The CRC-32 of `data`, continuing from `previous` (the CRC of the bytes before it), so
 * `crc32(b, crc32(a))` equals the CRC of `a` followed by `b`.
 *
 * @example
 * ```ts
 * crc32(new TextEncoder().encode('123456789')).toString(16); // 'cbf43926'
 * ```
 * @param data - the bytes
 * @param previous - the CRC so far; default 0 (start)
 * @returns the CRC as an unsigned 32-bit integer
 */
export function crc32(data: Uint8Array, previous = 0): number {
  return nativeCrc32 === undefined ? crc32Portable(data, previous) : nativeCrc32(data, previous) >>> 0;
}

/**
 * The GF(2) operator that appends `length` zero bytes to a CRC-32: column i is what it makes of
 * CRC bit i. CRC-32 is linear, so for any byte strings A and B, `crc32(A ++ B)` equals
 * {@link applyCrc32Operator}(crc32ZeroOperator(B.length), crc32(A)) XOR crc32(B) (zlib's
 * `crc32_combine`): CRCs of pieces computed apart, on GPU invocations for instance, combine in order.
 *
 * @internal
 */
export function crc32ZeroOperator(length: number): Uint32Array {
  const columns = new Uint32Array(32);
  for (let bit = 0; bit < 32; bit++) {
    // A zero byte through the bare register (no pre- or post-inversion: those cancel in a combine).
    let c = (1 << bit) >>> 0;
    for (let i = 0; i < length; i++) c = TABLE[c & 0xff]! ^ (c >>> 8);
    columns[bit] = c >>> 0;
  }
  return columns;
}

/**
 * Applies an operator of {@link crc32ZeroOperator} to a CRC.
 *
 * @internal
 */
export function applyCrc32Operator(operator: Uint32Array, crc: number): number {
  let result = 0;
  for (let bit = 0; bit < 32; bit++) if ((crc >>> bit) & 1) result ^= operator[bit]!;
  return result >>> 0;
}
