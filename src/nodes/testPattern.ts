/**
 * `testPattern`: a source of moving color bars with a visible frame counter and a checksum stamp.
 *
 * @module
 */
import { checkIntegerInRange, invalid } from '../core/validate.js';
import type { TextureFormat } from '../core/formats.js';
import { defineSource } from '../pipeline/define-node.js';
import type { SourceNode } from '../pipeline/node.js';
import type { Frame } from '../pipeline/frame.js';
import { drawTestPattern } from './kernels/test-pattern.js';
import { stampChecksum, MAX_STAMP_SEQ } from './kernels/checksum-stamp.js';
import { swapRedBlue } from './kernels/swap-red-blue.js';
import { writablePixels } from './support/frame-pixels.js';
import { awaitGpuWork, cpuReason, createPathReporter } from './support/gpu-path.js';
import { gpuTestPatternAsync } from './gpu/gpuTestPattern.js';
import type { VulkanTextureShareManager } from '../core/vulkan/manager.js';
import { checkFps, createFrameClock } from './support/frame-clock.js';
import { splitNodeOptions } from './support/node-options.js';

/** The texture formats {@link testPattern} draws. */
export const TEST_PATTERN_FORMATS: readonly TextureFormat[] = ['rgba8unorm', 'rgba8unorm-srgb', 'bgra8unorm'];

/** Options of {@link testPattern}. */
export interface TestPatternOptions {
  /** Frame width in pixels, 3 to 16384. */
  width: number;
  /** Frame height in pixels, 2 to 16384. */
  height: number;
  /** Frames to produce, then complete; default `Infinity` (until the pipeline stops). */
  frames?: number;
  /**
   * Frame rate. Given, frames are paced in real time (frame n is due n / fps seconds after the
   * first). Omitted, frames come as fast as downstream takes them. pts is `seq * 1e6 / fps` either way
   * (fps 30 when omitted).
   */
  fps?: number;
  /** Texture format: `rgba8unorm` (default), `rgba8unorm-srgb` or `bgra8unorm`. */
  format?: TextureFormat;
  /** Node name (default `'testPattern'`). */
  name?: string;
  /** Output pool settings. */
  pool?: { min?: number; max?: number; leaseTimeoutMs?: number };
}

/**
 * A source of test frames: 8 color bars scrolling left, a gray ramp, the counter `#seq` in large
 * digits, and in the first pixel row a checksum stamp (seq and a CRC-32 of the picture) that
 * {@link hashSink} or {@link verifyChecksum} check downstream, in this process or another. Frame
 * `seq` is the same picture every time (a pure function of size and seq). On the host backend it
 * draws straight into the pooled texture's shared memory. On the Vulkan backend, rgba8unorm frames
 * (storage images there by default) are drawn and stamped on the GPU by {@link gpuTestPatternAsync},
 * byte for byte the CPU picture, and no pixel crosses to the host; other formats are drawn on the
 * CPU and uploaded. `NODE_DEBUG=geyser` says which path the node took.
 *
 * @example
 * ```ts
 * await pipeline(testPattern({ width: 1280, height: 720, fps: 30, frames: 300 }), nullSink()).done;
 * ```
 * @param options - size, frame count, rate, format
 * @returns a source node
 * @throws GeyserError `InvalidDescriptor` for a bad value; `TypeError` for an unknown option
 */
export function testPattern(options: TestPatternOptions): SourceNode<Frame> {
  const common = splitNodeOptions(options, ['width', 'height', 'frames', 'fps', 'format'], 'testPattern');
  // The smallest picture that holds a checksum stamp: 12 bytes of row 0, and a row to checksum.
  const width = checkIntegerInRange(options.width, 'testPattern.width', 3, 16384);
  const height = checkIntegerInRange(options.height, 'testPattern.height', 2, 16384);
  const frames = options.frames ?? Infinity;
  if (frames !== Infinity) checkIntegerInRange(frames, 'testPattern.frames', 0, MAX_STAMP_SEQ + 1);
  const fps = checkFps(options.fps, 'testPattern.fps');
  const format = options.format ?? 'rgba8unorm';
  if (!TEST_PATTERN_FORMATS.includes(format)) invalid(`one of ${TEST_PATTERN_FORMATS.join(', ')}`, 'testPattern.format', format);
  return defineSource(
    'testPattern',
    async (scope) => {
      const clock = createFrameClock(fps);
      const reportPath = createPathReporter(scope.name);
      for (let seq = 0; seq < frames && !scope.closed; seq++) {
        await clock.due(seq, scope.signal);
        if (scope.closed) return;
        const frame = await scope.acquireFrame({ width, height, format }, { seq, pts: clock.pts(seq) });
        const reason = cpuReason(frame);
        reportPath(reason);
        if (reason === undefined) {
          await awaitGpuWork(scope, gpuTestPatternAsync(frame.context.manager as VulkanTextureShareManager, frame.texture, seq));
          // Stopped meanwhile: teardown releases the unemitted frame (it may have already).
          if (scope.closed) return;
          scope.emit(frame);
          continue;
        }
        const pixels = writablePixels(frame);
        const image = { data: pixels.data, width, height };
        drawTestPattern(image, seq);
        if (format === 'bgra8unorm') {
          swapRedBlue(image);
          stampChecksum(image.data, width, height, seq);
        }
        pixels.commit();
        scope.emit(frame);
      }
    },
    common,
  );
}
