/**
 * PNG's five scanline filters (none, sub, up, average, paeth), shared by the decoder and encoder.
 *
 * @internal
 * @module
 */

/** PNG filter type numbers. */
export const PngFilter = { None: 0, Sub: 1, Up: 2, Average: 3, Paeth: 4 } as const;

/** One PNG filter type number. */
export type PngFilter = (typeof PngFilter)[keyof typeof PngFilter];

/** The Paeth predictor of the PNG spec (section 9.4): whichever neighbour is closest to a + b - c. */
export function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

/**
 * Reverses `filter` on one scanline in place. `line` is the filtered row (no filter byte), `previous`
 * the already reconstructed row above (zeros for the first), `bpp` bytes per complete pixel.
 * Returns false for an unknown filter type.
 */
export function unfilterLine(filter: number, line: Uint8Array, previous: Uint8Array, bpp: number): boolean {
  const n = line.length;
  switch (filter) {
    case PngFilter.None:
      return true;
    case PngFilter.Sub:
      for (let i = bpp; i < n; i++) line[i] = (line[i]! + line[i - bpp]!) & 0xff;
      return true;
    case PngFilter.Up:
      for (let i = 0; i < n; i++) line[i] = (line[i]! + previous[i]!) & 0xff;
      return true;
    case PngFilter.Average:
      for (let i = 0; i < bpp; i++) line[i] = (line[i]! + (previous[i]! >> 1)) & 0xff;
      for (let i = bpp; i < n; i++) line[i] = (line[i]! + ((line[i - bpp]! + previous[i]!) >> 1)) & 0xff;
      return true;
    case PngFilter.Paeth:
      for (let i = 0; i < bpp; i++) line[i] = (line[i]! + previous[i]!) & 0xff;
      for (let i = bpp; i < n; i++) line[i] = (line[i]! + paeth(line[i - bpp]!, previous[i]!, previous[i - bpp]!)) & 0xff;
      return true;
    default:
      return false;
  }
}

/** Applies `filter` to `line` (raw bytes) given the raw `previous` row, writing into `out`. */
export function filterLine(filter: PngFilter, line: Uint8Array, previous: Uint8Array, bpp: number, out: Uint8Array): void {
  const n = line.length;
  // One tight loop per filter: this runs 5 times per row when the encoder picks filters adaptively.
  switch (filter) {
    case PngFilter.None:
      out.set(line);
      return;
    case PngFilter.Sub:
      for (let i = 0; i < bpp; i++) out[i] = line[i]!;
      for (let i = bpp; i < n; i++) out[i] = line[i]! - line[i - bpp]!;
      return;
    case PngFilter.Up:
      for (let i = 0; i < n; i++) out[i] = line[i]! - previous[i]!;
      return;
    case PngFilter.Average:
      for (let i = 0; i < bpp; i++) out[i] = line[i]! - (previous[i]! >> 1);
      for (let i = bpp; i < n; i++) out[i] = line[i]! - ((line[i - bpp]! + previous[i]!) >> 1);
      return;
    case PngFilter.Paeth:
      for (let i = 0; i < bpp; i++) out[i] = line[i]! - previous[i]!;
      for (let i = bpp; i < n; i++) out[i] = line[i]! - paeth(line[i - bpp]!, previous[i]!, previous[i - bpp]!);
      return;
  }
}
