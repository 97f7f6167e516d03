/**
 * The GPU half of the `encode` sink on Vulkan: RGBA frames converted to I420 planes by a compute
 * shader, then only the planes (12 bits per pixel, not 32) read back into the encoder's buffer.
 *
 * @internal
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import type { YuvMatrix } from '../kernels/yuv420.js';
import { createYuv420Planes, gpuRgbaToYuv420Async, type I420Planes } from '../gpu/gpuRgbaToYuv420.js';

/** Converts frames of one size to yuv420p on the GPU; owns its plane textures until {@link release}. */
export interface GpuYuvReadback {
  /** Converts `source` and writes Y, U, V (tightly packed, in that order) into `target`. */
  convert(source: SharedTexture, matrix: YuvMatrix, target: Uint8Array): Promise<void>;
  /** Releases the plane textures (idempotent). */
  release(): void;
}

/** Creates the I420 planes for `width` x `height` frames on `manager`. */
export function createGpuYuvReadback(manager: VulkanTextureShareManager, width: number, height: number): GpuYuvReadback {
  const planes: I420Planes = createYuv420Planes(manager, width, height, 'i420');
  let released = false;
  return {
    async convert(source, matrix, target) {
      await gpuRgbaToYuv420Async(manager, source, planes, matrix);
      let offset = 0;
      for (const plane of [planes.y, planes.u, planes.v]) {
        const bytes = manager.readTexture(plane);
        target.set(bytes, offset);
        offset += bytes.byteLength;
      }
    },
    release() {
      if (released) return;
      released = true;
      for (const plane of [planes.y, planes.u, planes.v]) plane.release();
    },
  };
}
