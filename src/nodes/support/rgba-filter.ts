/**
 * The shape of every CPU pixel filter: read the input frame's pixels, acquire an output frame
 * from the node's pool (same seq, pts and metadata), run a kernel from one to the other, emit.
 *
 * @internal
 * @module
 */
import { defineFilter } from '../../pipeline/define-node.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { Frame } from '../../pipeline/frame.js';
import type { OperatorNode, NodeOptions } from '../../pipeline/node.js';
import { defaultFrameUsage, type FrameRequest } from '../../pipeline/node-scope.js';
import type { RgbaImage } from '../kernels/rgba-image.js';
import { readRgba, writablePixels } from './frame-pixels.js';
import { awaitGpuWork, cpuReason, createPathReporter, outputReason, type GpuPath } from './gpu-path.js';

/** A kernel from the input pixels to the output frame's pixels. */
export type FrameKernel = (input: RgbaImage, output: RgbaImage, frame: Frame) => void | Promise<void>;

/**
 * Defines a filter running `kernel` on each RGBA frame into a new frame described by
 * `outputFor(frame)` (default: the input's size and format), its metadata the input's merged with
 * `metadataFor(frame)`. The output's pixels are a kernel image with the output texture's width and
 * height (for a non-RGBA output, such as YUV in `r8unorm`, only `data` is meaningful).
 *
 * With `gpu`, a frame that is an rgba8unorm storage image of the Vulkan backend (the default
 * usage of Vulkan pipelines' frames) goes through `gpu`'s kernel (made once per subscription, with
 * its scratch textures) from texture to texture instead: the RGBA pixels never come back to the
 * host. Other frames take `kernel`. The path taken is reported once per subscription.
 */
export function defineRgbaFilter(
  name: string,
  common: NodeOptions,
  kernel: FrameKernel,
  outputFor?: (frame: Frame) => FrameRequest,
  metadataFor?: (frame: Frame) => object,
  gpu?: GpuPath,
): OperatorNode<Frame, Frame> {
  return defineFilter<Frame, Frame>(
    name,
    (scope) => {
      const reportPath = createPathReporter(scope.name);
      const gpuKernel = gpu?.kernelFor(scope);
      return {
        async next(frame) {
          const request = outputFor?.(frame) ?? frame;
          const metadata = metadataFor === undefined ? frame.metadata : { ...frame.metadata, ...metadataFor(frame) };
          const outputUsage = request instanceof Frame ? request.texture.usage : (request.usage ?? defaultFrameUsage(frame.context.manager.backend, request.format));
          const reason = gpu === undefined ? 'no GPU kernel' : (cpuReason(frame) ?? outputReason(outputUsage, gpu.outputNeeds));
          if (gpuKernel !== undefined) reportPath(reason);
          if (reason === undefined) {
            const out = await scope.acquireFrame(request, { seq: frame.seq, pts: frame.pts, metadata });
            await awaitGpuWork(scope, gpuKernel!(frame.context.manager as VulkanTextureShareManager, frame.texture, out.texture, frame));
            scope.emit(out);
            return;
          }
          // Read the input first: a format error must not cost an output frame.
          const input = readRgba(frame, scope.name);
          const out = await scope.acquireFrame(request, { seq: frame.seq, pts: frame.pts, metadata });
          const pixels = writablePixels(out);
          await kernel(input, { data: pixels.data, width: out.width, height: out.height }, frame);
          pixels.commit();
          scope.emit(out);
        },
      };
    },
    common,
  );
}
