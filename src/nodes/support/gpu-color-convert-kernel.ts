/**
 * The GPU kernel of the `colorConvert` node: {@link gpuRgbaToYuv420Async} into plane textures kept
 * for the subscription, then the planes (12 bits per pixel) copied into the output frame's packed
 * `r8unorm` texture. The RGBA frame itself never leaves the GPU.
 *
 * @internal
 * @module
 */
import type { NodeScope } from '../../pipeline/node-scope.js';
import { createYuv420Planes, gpuRgbaToYuv420Async, readYuv420, type Yuv420Planes } from '../gpu/gpuRgbaToYuv420.js';
import type { Yuv420Layout, YuvMatrix } from '../kernels/yuv420.js';
import type { GpuFrameKernel } from './gpu-path.js';

/** Makes colorConvert's GPU kernel for one subscription; the planes are released at teardown (and on a size change). */
export function gpuColorConvertKernel(scope: NodeScope, layout: Yuv420Layout, matrix: YuvMatrix): GpuFrameKernel {
  let planes: Yuv420Planes | undefined;
  const releasePlanes = (): void => {
    if (planes === undefined) return;
    for (const plane of Object.values(planes)) plane.release();
    planes = undefined;
  };
  scope.add(releasePlanes);
  return async (manager, input, output) => {
    if (planes === undefined || planes.y.width !== input.width || planes.y.height !== input.height) {
      releasePlanes();
      planes = layout === 'nv12' ? createYuv420Planes(manager, input.width, input.height, 'nv12') : createYuv420Planes(manager, input.width, input.height, 'i420');
    }
    await gpuRgbaToYuv420Async(manager, input, planes, matrix);
    // No texture-to-texture copy on the manager: the planes come back packed in the CPU kernel's layout and go up once.
    manager.writeTexture(output, readYuv420(manager, planes));
  };
}
