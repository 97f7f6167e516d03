/**
 * `scale`: a filter resizing frames (bilinear).
 *
 * @module
 */
import { checkIntegerInRange } from '../core/validate.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import { gpuScaleAsync } from './gpu/gpuScale.js';
import { scaleBilinearNative } from './kernels/scale-native.js';
import { splitNodeOptions } from './support/node-options.js';
import { defineRgbaFilter } from './support/rgba-filter.js';

/** Options of {@link scale}. */
export interface ScaleOptions {
  /** Output width in pixels, 1 to 16384. */
  width: number;
  /** Output height in pixels, 1 to 16384. */
  height: number;
  /** Node name (default `'scale'`). */
  name?: string;
}

/**
 * Resizes RGBA frames to `width` x `height` by bilinear interpolation (aligned pixel centers,
 * clamped edges, each channel within 1 level of exact), into frames of its own pool; seq, pts and
 * metadata carry over. On the CPU it runs the native kernel ({@link scaleBilinearNative}, bit-exact
 * with {@link scaleBilinear}). On the Vulkan backend, rgba8unorm frames with storage-binding usage
 * (the default there) are resized on the GPU by {@link gpuScaleAsync} (within 1 level of the CPU
 * kernel); other frames take the CPU kernel.
 *
 * @example
 * ```ts
 * await pipeline(testPattern({ width: 1920, height: 1080, frames: 60 }), scale({ width: 640, height: 360 }), nullSink()).done;
 * ```
 * @param options - output size
 * @returns a filter node
 * @throws GeyserError `InvalidDescriptor` for a bad size; `TypeError` for an unknown option
 */
export function scale(options: ScaleOptions): OperatorNode<Frame, Frame> {
  const common = splitNodeOptions(options, ['width', 'height'], 'scale');
  const width = checkIntegerInRange(options.width, 'scale.width', 1, 16384);
  const height = checkIntegerInRange(options.height, 'scale.height', 1, 16384);
  return defineRgbaFilter(
    'scale',
    common,
    (input, output) => {
      scaleBilinearNative(input, output);
    },
    (frame) => ({ width, height, format: frame.format, usage: frame.texture.usage }),
    undefined,
    { kernelFor: () => gpuScaleAsync, outputNeeds: ['storage-binding'] },
  );
}
