/**
 * `cpuFilter`: a filter running your own JavaScript over each frame's pixels.
 *
 * @module
 */
import { invalid } from '../core/validate.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import type { RgbaImage } from './kernels/rgba-image.js';
import { splitNodeOptions } from './support/node-options.js';
import { defineRgbaFilter } from './support/rgba-filter.js';

/**
 * Your pixel function: edit `image` (a copy of the input frame's pixels, RGBA8, tightly packed
 * rows, in the output frame's own memory) in place. May be async; the output frame is emitted when
 * it returns or resolves. `frame` is the input frame, for its `seq`, `pts` and `metadata`.
 */
export type PixelFunction = (image: RgbaImage, frame: Frame) => void | Promise<void>;

/** Options of {@link cpuFilter}. */
export interface CpuFilterOptions {
  /** Node name (default `'cpuFilter'`). */
  name?: string;
}

/**
 * Runs `fn` over the pixels of each RGBA frame. The node acquires an output frame from its own pool,
 * copies the input's pixels into it (on the host backend straight into the texture's shared
 * memory), calls `fn(image, frame)` to edit them in place, and emits the output with the input's
 * seq, pts and metadata. A throw or rejection in `fn` ends the pipeline with that error.
 *
 * @example
 * ```ts
 * // Invert the colors, keep alpha.
 * const invert = cpuFilter(({ data }) => {
 *   for (let i = 0; i < data.length; i += 4) {
 *     data[i] = 255 - data[i]!;
 *     data[i + 1] = 255 - data[i + 1]!;
 *     data[i + 2] = 255 - data[i + 2]!;
 *   }
 * });
 * await pipeline(testPattern({ width: 640, height: 360, frames: 30 }), invert, pngSink({ path: 'inv-%02d.png' })).done;
 * ```
 * @param fn - edits the pixels in place
 * @param options - node name
 * @returns a filter node
 * @throws GeyserError `InvalidDescriptor` if `fn` is not a function; `TypeError` for an unknown option
 */
export function cpuFilter(fn: PixelFunction, options?: CpuFilterOptions): OperatorNode<Frame, Frame> {
  if (typeof fn !== 'function') invalid('a function (image, frame) => void', 'cpuFilter fn', fn);
  const common = splitNodeOptions(options, [], 'cpuFilter');
  return defineRgbaFilter('cpuFilter', common, async (input, output, frame) => {
    output.data.set(input.data);
    await fn(output, frame);
  });
}
