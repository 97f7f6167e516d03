/**
 * The test pattern drawn on the GPU, stamp included.
 *
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import type { SharedTexture } from '../../core/types.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { glyphPixel, GLYPH_HEIGHT, GLYPH_WIDTH } from '../kernels/bitmap-font.js';
import { MAX_STAMP_SEQ } from '../kernels/checksum-stamp.js';
import { crc32ZeroOperator } from '../kernels/crc32.js';
import { BAR_COLORS, testPatternLayout } from '../kernels/test-pattern.js';
import { checkTexture, checkVulkanManager, groupsFor, runNow, runQueued } from './checks.js';
import { builtinSpirv } from './shaders.js';

/** The glyphs the counter uses, in the shader's order: digits, then '#' (HASH_GLYPH = 10). */
const COUNTER_GLYPHS = '0123456789#';
/** Words of the storage buffer before the row CRCs (shaders/test_pattern_common.glsl's `Stamp`). */
const HEADER_WORDS = 32 + BAR_COLORS.length + COUNTER_GLYPHS.length * GLYPH_HEIGHT;
/** Row-CRC invocations per work group (test_pattern_row_crc.comp's local size). */
const ROW_CRC_GROUP = 64;
/** Widths whose buffer header is kept (the operator costs width * 128 table steps to build). */
const CACHED_WIDTHS = 8;

const headers = new Map<number, Uint32Array>();

/** The buffer's constant head for `width`: the zero-row CRC operator, the bar colors, the glyph rows. */
function headerFor(width: number): Uint32Array {
  let header = headers.get(width);
  if (header !== undefined) return header;
  header = new Uint32Array(HEADER_WORDS);
  header.set(crc32ZeroOperator(width * 4));
  BAR_COLORS.forEach(([r, g, b, a], i) => (header![32 + i] = (r | (g << 8) | (b << 16) | (a << 24)) >>> 0));
  const glyphsAt = 32 + BAR_COLORS.length;
  [...COUNTER_GLYPHS].forEach((character, glyph) => {
    for (let row = 0; row < GLYPH_HEIGHT; row++) {
      let bits = 0;
      for (let column = 0; column < GLYPH_WIDTH; column++) bits = (bits << 1) | (glyphPixel(character, column, row) ? 1 : 0);
      header![glyphsAt + glyph * GLYPH_HEIGHT + row] = bits;
    }
  });
  if (headers.size >= CACHED_WIDTHS) headers.delete(headers.keys().next().value!);
  headers.set(width, header);
  return header;
}

/**
 * Draws frame `seq` of the test pattern into `target` with three compute passes in one
 * submission, byte for byte the picture of {@link drawTestPattern} including its checksum stamp:
 * pass 1 draws every pixel (bars, ramp, counter from the bitmap font's glyphs); pass 2 computes the
 * CRC-32 of each row, one invocation per row; pass 3 combines the row CRCs in order (CRC-32 is
 * linear: a constant 32x32 bit operator appends a row of zero bytes) and writes the stamp. No
 * pixel crosses to the host.
 *
 * @example
 * ```ts
 * const usage = ['storage-binding', 'copy-src', 'copy-dst'] as const;
 * const frame = manager.createShareableTexture({ width: 1920, height: 1080, format: 'rgba8unorm', usage: [...usage] });
 * gpuTestPattern(manager, frame, 42);
 * verifyChecksum(manager.readTexture(frame), 1920, 1080); // { seq: 42, ok: true }
 * ```
 * @param manager - the Vulkan manager owning the texture
 * @param target - rgba8unorm texture with storage-binding usage, at least 3x2 (room for the stamp)
 * @param seq - frame number, integer 0 to 2^32 - 1
 * @throws {@link GeyserError} `InvalidDescriptor` for a wrong format, a texture smaller than 3x2 or a
 *   bad seq; `OperationNotSupported` without storage-binding usage or for a non-Vulkan manager.
 */
export function gpuTestPattern(manager: unknown, target: SharedTexture, seq: number): void {
  const [vulkan, dispatch] = plan(manager, target, seq);
  runNow(vulkan, [dispatch]);
}

/**
 * {@link gpuTestPattern} off the JS thread (see `dispatchComputeAsync`); bad arguments reject.
 *
 * @example
 * ```ts
 * await gpuTestPatternAsync(manager, frame, seq);
 * ```
 * @param manager - the Vulkan manager owning the texture
 * @param target - rgba8unorm texture with storage-binding usage, at least 3x2
 * @param seq - frame number, integer 0 to 2^32 - 1
 * @throws {@link GeyserError} as {@link gpuTestPattern}, as a rejection.
 */
export async function gpuTestPatternAsync(manager: unknown, target: SharedTexture, seq: number): Promise<void> {
  const [vulkan, dispatch] = plan(manager, target, seq);
  await runQueued(vulkan, [dispatch]);
}

function plan(manager: unknown, target: SharedTexture, seq: number): [VulkanTextureShareManager, ComputeDispatch] {
  const vulkan = checkVulkanManager(manager);
  checkTexture(target, 'target', 'rgba8unorm');
  const { width, height } = target;
  if (width < 3 || height < 2) {
    throw new GeyserError('InvalidDescriptor', `Expected a texture of at least 3x2 (room for the checksum stamp) for target but received ${width}x${height}`);
  }
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_STAMP_SEQ) {
    throw new GeyserError('InvalidDescriptor', `Expected integer between 0 and ${MAX_STAMP_SEQ} for seq but received ${String(seq)} of type ${typeof seq}`);
  }
  const layout = testPatternLayout(width, height);
  // seq * barStep can pass 2^32; JS numbers hold it exactly, the shader's uints would not.
  const shift = (seq * layout.barStep) % width;
  const textLength = `#${seq}`.length;
  const pushConstants = new Uint32Array([seq, shift, layout.barsHeight, layout.fontScale, layout.counterX, layout.counterY, textLength]);
  const storageBuffer = new Uint32Array(HEADER_WORDS + height);
  storageBuffer.set(headerFor(width));
  return [
    vulkan,
    {
      textures: [target],
      storageBuffer,
      passes: [
        { spirv: builtinSpirv('testPatternDraw'), pushConstants, groups: groupsFor(width, height) },
        { spirv: builtinSpirv('testPatternRowCrc'), groups: [Math.ceil((height - 1) / ROW_CRC_GROUP), 1, 1] },
        { spirv: builtinSpirv('testPatternStamp'), pushConstants, groups: [1, 1, 1] },
      ],
    },
  ];
}
