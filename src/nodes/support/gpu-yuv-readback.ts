/**
 * The GPU half of the `encode` sink on Vulkan: RGBA frames converted by one compute dispatch into
 * a packed I420 texture (12 bits per pixel, not 32), then read back once, straight into the
 * encoder's buffer.
 *
 * @internal
 * @module
 */
import type { SharedTexture } from '../../core/types.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import type { YuvMatrix } from '../kernels/yuv420.js';
import { createYuv420PackedTexture, gpuRgbaToYuv420PackedAsync } from '../gpu/gpuRgbaToYuv420Packed.js';

/** Converts frames of one size to yuv420p on the GPU; owns its packed texture until {@link release}. */
export interface GpuYuvReadback {
  /** Converts `source` and reads the packed frame (Y, U, V, tightly packed) into `target`. */
  convert(source: SharedTexture, matrix: YuvMatrix, target: Uint8Array): Promise<void>;
  /** Releases the packed texture (idempotent). */
  release(): void;
}

/** Creates the packed I420 texture for `width` x `height` frames (both even) on `manager`. */
export function createGpuYuvReadback(manager: VulkanTextureShareManager, width: number, height: number): GpuYuvReadback {
  const packed = createYuv420PackedTexture(manager, width, height, 'encode i420');
  let released = false;
  return {
    async convert(source, matrix, target) {
      await gpuRgbaToYuv420PackedAsync(manager, source, packed, 'i420', matrix);
      manager.readTextureInto(packed, target);
    },
    release() {
      if (released) return;
      released = true;
      packed.release();
    },
  };
}
