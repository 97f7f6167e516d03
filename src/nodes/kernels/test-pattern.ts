/**
 * The test pattern: moving color bars, a gray ramp, a visible frame counter and a checksum stamp.
 * A pure function of (width, height, seq), so any consumer can redraw and compare a frame.
 *
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import { checkRgbaImage, type RgbaImage } from './rgba-image.js';
import { drawText, fillRect, GLYPH_ADVANCE, GLYPH_HEIGHT } from './bitmap-font.js';
import { stampChecksum, MAX_STAMP_SEQ } from './checksum-stamp.js';
import type { Rgba } from './composite.js';

/** 100% color bars, left to right: white, yellow, cyan, green, magenta, red, blue, black. */
export const BAR_COLORS: readonly Rgba[] = [
  [255, 255, 255, 255],
  [255, 255, 0, 255],
  [0, 255, 255, 255],
  [0, 255, 0, 255],
  [255, 0, 255, 255],
  [255, 0, 0, 255],
  [0, 0, 255, 255],
  [0, 0, 0, 255],
];

/** The geometry of a pattern, derived from its size only; exported so tests can probe it. */
export interface TestPatternLayout {
  /** Rows 0 to barsHeight-1 hold the bars (row 0 then carries the stamp). */
  readonly barsHeight: number;
  /** Pixels the bars move left per frame. */
  readonly barStep: number;
  /** Size of a font pixel of the counter. */
  readonly fontScale: number;
  /** Top-left corner of the counter's black box; the text starts one font pixel inside. */
  readonly counterX: number;
  /** Top edge of the counter's black box. */
  readonly counterY: number;
}

/**
 * Where the parts of the pattern go for a given size.
 *
 * @example
 * ```ts
 * testPatternLayout(1920, 1080).fontScale; // 15
 * ```
 * @param width - image width
 * @param height - image height
 */
export function testPatternLayout(width: number, height: number): TestPatternLayout {
  const fontScale = Math.max(1, Math.floor(height / 72));
  return {
    barsHeight: Math.max(1, Math.round((height * 3) / 4)),
    barStep: Math.max(1, Math.round(width / 120)),
    fontScale,
    counterX: fontScale,
    // Below row 0, which the checksum stamp owns.
    counterY: Math.max(1, fontScale),
  };
}

/**
 * Draws frame `seq` of the test pattern into `target`: 8 color bars over the top three quarters,
 * scrolling left by `layout.barStep` pixels per frame; a gray ramp (black to white, left to right)
 * below; the counter `#seq` in white on a black box at the top left; and, last, the checksum
 * stamp of {@link stampChecksum} in row 0, so {@link verifyChecksum} tells `seq` back.
 *
 * @example
 * ```ts
 * const frame = createRgbaImage(1280, 720);
 * drawTestPattern(frame, 42);
 * verifyChecksum(frame.data, 1280, 720); // { seq: 42, ok: true }
 * ```
 * @param target - the image to draw into; one smaller than 3x2 gets no stamp (it cannot hold one)
 * @param seq - frame number, integer 0 to 2^32 - 1
 * @returns `target`
 * @throws GeyserError `InvalidDescriptor` for a malformed image or a bad seq
 */
export function drawTestPattern(target: RgbaImage, seq: number): RgbaImage {
  checkRgbaImage(target, 'target');
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_STAMP_SEQ) {
    throw new GeyserError('InvalidDescriptor', `Expected integer between 0 and ${MAX_STAMP_SEQ} for seq but received ${String(seq)} of type ${typeof seq}`);
  }
  const { width, height, data } = target;
  const layout = testPatternLayout(width, height);
  const rowBytes = width * 4;
  const shift = (seq * layout.barStep) % width;
  for (let x = 0; x < width; x++) {
    const color = BAR_COLORS[Math.floor((((x + shift) % width) * BAR_COLORS.length) / width)]!;
    data.set(color, x * 4);
  }
  replicateRow(data, 0, layout.barsHeight, rowBytes);
  if (layout.barsHeight < height) {
    const rampRow = layout.barsHeight * rowBytes;
    for (let x = 0; x < width; x++) {
      const level = width === 1 ? 0 : Math.round((x * 255) / (width - 1));
      data[rampRow + x * 4] = level;
      data[rampRow + x * 4 + 1] = level;
      data[rampRow + x * 4 + 2] = level;
      data[rampRow + x * 4 + 3] = 255;
    }
    replicateRow(data, layout.barsHeight, height, rowBytes);
  }
  const text = `#${seq}`;
  const s = layout.fontScale;
  fillRect(target, layout.counterX, layout.counterY, (text.length * GLYPH_ADVANCE + 1) * s, (GLYPH_HEIGHT + 2) * s, [0, 0, 0, 255]);
  drawText(target, text, layout.counterX + s, layout.counterY + s, s, [255, 255, 255, 255]);
  if (width >= 3 && height >= 2) stampChecksum(data, width, height, seq);
  return target;
}

/** Copies row `first` over rows first+1 .. end-1, doubling the copied block each time. */
function replicateRow(data: Uint8Array, first: number, end: number, rowBytes: number): void {
  const start = first * rowBytes;
  const stop = end * rowBytes;
  for (let filled = rowBytes; start + filled < stop; filled *= 2) {
    data.copyWithin(start + filled, start, start + Math.min(filled, stop - start - filled));
  }
}
