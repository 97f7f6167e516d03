/**
 * The GPU kernel of the `colorConvert` node: one {@link gpuRgbaToYuv420PackedAsync} dispatch from
 * the input frame straight into the output frame's packed `r8unorm` texture. Neither the RGBA
 * frame nor the YUV planes leave the GPU, and no scratch texture is kept.
 *
 * @internal
 * @module
 */
import { gpuRgbaToYuv420PackedAsync } from '../gpu/gpuRgbaToYuv420Packed.js';
import type { Yuv420Layout, YuvMatrix } from '../kernels/yuv420.js';
import type { GpuFrameKernel } from './gpu-path.js';

/** Makes colorConvert's GPU kernel (stateless: the output frame is the shader's target). */
export function gpuColorConvertKernel(layout: Yuv420Layout, matrix: YuvMatrix): GpuFrameKernel {
  return (manager, input, output) => gpuRgbaToYuv420PackedAsync(manager, input, output, layout, matrix);
}
