/**
 * `grayscale`: a filter to BT.709 luma.
 *
 * @module
 */
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import { gpuGrayscaleAsync } from './gpu/gpuGrayscale.js';
import { grayscaleRgbaNative } from './kernels/grayscale-native.js';
import { splitNodeOptions } from './support/node-options.js';
import { defineRgbaFilter } from './support/rgba-filter.js';

/** Options of {@link grayscale}. */
export interface GrayscaleOptions {
  /** Node name (default `'grayscale'`). */
  name?: string;
}

/**
 * Turns RGBA frames gray (BT.709 luma in R, G and B; alpha kept), on the CPU, into frames of its
 * own pool, with the native kernel ({@link grayscaleRgbaNative}; see {@link grayscaleRgba} for the
 * exact arithmetic). On the Vulkan backend, rgba8unorm
 * frames with storage-binding usage (the default there) are converted on the GPU by
 * {@link gpuGrayscaleAsync}, bit-exact with the CPU kernel; other frames take the CPU kernel.
 *
 * @example
 * ```ts
 * await pipeline(testPattern({ width: 640, height: 360, frames: 30 }), grayscale(), pngSink({ path: 'gray-%03d.png' })).done;
 * ```
 * @param options - node name
 * @returns a filter node
 * @throws `TypeError` for an unknown option; at run time `FormatNotSupported` for a frame that is not RGBA8
 */
export function grayscale(options?: GrayscaleOptions): OperatorNode<Frame, Frame> {
  const common = splitNodeOptions(options, [], 'grayscale');
  return defineRgbaFilter(
    'grayscale',
    common,
    (input, output) => {
      grayscaleRgbaNative(input, output);
    },
    undefined,
    undefined,
    { kernelFor: () => gpuGrayscaleAsync, outputNeeds: ['storage-binding'] },
  );
}
