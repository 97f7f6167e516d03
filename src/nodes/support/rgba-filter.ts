/**
 * The shape of every CPU pixel filter: read the input frame's pixels, acquire an output frame
 * from the node's pool (same seq, pts and metadata), run a kernel from one to the other, emit.
 *
 * @internal
 * @module
 */
import { defineFilter } from '../../pipeline/define-node.js';
import type { Frame } from '../../pipeline/frame.js';
import type { OperatorNode, NodeOptions } from '../../pipeline/node.js';
import type { FrameRequest } from '../../pipeline/node-scope.js';
import type { RgbaImage } from '../kernels/rgba-image.js';
import { readRgba, writablePixels } from './frame-pixels.js';

/** A kernel from the input pixels to the output frame's pixels. */
export type FrameKernel = (input: RgbaImage, output: RgbaImage, frame: Frame) => void | Promise<void>;

/**
 * Defines a filter running `kernel` on each RGBA frame into a new frame described by
 * `outputFor(frame)` (default: the input's size and format), its metadata the input's merged with
 * `metadataFor(frame)`. The output's pixels are a kernel image with the output texture's width and
 * height (for a non-RGBA output, such as YUV in `r8unorm`, only `data` is meaningful).
 */
export function defineRgbaFilter(
  name: string,
  common: NodeOptions,
  kernel: FrameKernel,
  outputFor?: (frame: Frame) => FrameRequest,
  metadataFor?: (frame: Frame) => object,
): OperatorNode<Frame, Frame> {
  return defineFilter<Frame, Frame>(
    name,
    (scope) => ({
      async next(frame) {
        // Read the input first: a format error must not cost an output frame.
        const input = readRgba(frame, scope.name);
        const request = outputFor?.(frame) ?? frame;
        const metadata = metadataFor === undefined ? frame.metadata : { ...frame.metadata, ...metadataFor(frame) };
        const out = await scope.acquireFrame(request, { seq: frame.seq, pts: frame.pts, metadata });
        const pixels = writablePixels(out);
        await kernel(input, { data: pixels.data, width: out.width, height: out.height }, frame);
        pixels.commit();
        scope.emit(out);
      },
    }),
    common,
  );
}
