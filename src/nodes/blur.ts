/**
 * `blur`: a filter blurring frames with a box (or, repeated, near-gaussian) kernel.
 *
 * @module
 */
import { checkIntegerInRange } from '../core/validate.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import { MAX_BLUR_RADIUS } from './kernels/box-blur.js';
import { boxBlurNative } from './kernels/box-blur-native.js';
import { gpuBlurKernel } from './support/gpu-blur-kernel.js';
import { splitNodeOptions } from './support/node-options.js';
import { defineRgbaFilter } from './support/rgba-filter.js';

/** Options of {@link blur}. */
export interface BlurOptions {
  /** Box half-width in pixels, 0 to 255 (0 copies). */
  radius: number;
  /** Box passes, 1 to 4 (default 1); 3 approximates a gaussian of sigma ~ radius. */
  passes?: number;
  /** Node name (default `'blur'`). */
  name?: string;
}

/**
 * Blurs RGBA frames with a `(2 radius + 1)`-square box, `passes` times, into frames of its own
 * pool, with the native kernel ({@link boxBlurNative}, bit-exact with {@link boxBlur}). Cost does
 * not grow with the radius. On the Vulkan backend, rgba8unorm frames with storage-binding usage
 * (the default there) are blurred on the GPU by {@link gpuBoxBlurAsync}, bit-exact with the CPU
 * kernel; other frames take the CPU kernel.
 *
 * @example
 * ```ts
 * await pipeline(testPattern({ width: 640, height: 360, frames: 30 }), blur({ radius: 4, passes: 3 }), nullSink()).done;
 * ```
 * @param options - radius and passes
 * @returns a filter node
 * @throws GeyserError `InvalidDescriptor` for a bad radius or passes; `TypeError` for an unknown option
 */
export function blur(options: BlurOptions): OperatorNode<Frame, Frame> {
  const common = splitNodeOptions(options, ['radius', 'passes'], 'blur');
  const radius = checkIntegerInRange(options.radius, 'blur.radius', 0, MAX_BLUR_RADIUS);
  const passes = checkIntegerInRange(options.passes ?? 1, 'blur.passes', 1, 4);
  return defineRgbaFilter(
    'blur',
    common,
    (input, output) => {
      boxBlurNative(input, output, radius);
      for (let pass = 1; pass < passes; pass++) boxBlurNative(output, output, radius);
    },
    undefined,
    undefined,
    { kernelFor: (scope) => gpuBlurKernel(scope, radius, passes), outputNeeds: ['storage-binding'] },
  );
}
