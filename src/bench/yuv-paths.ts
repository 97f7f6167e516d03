/**
 * Per-frame cost of the Vulkan YUV paths at one size, each beside the path it replaced, timed
 * interleaved in the same run:
 *
 * - colorConvert's GPU kernel: one packed dispatch straight into the r8unorm output frame, vs the
 *   old kernel (dispatch into plane textures, read the planes back, upload them into the output).
 * - the encode sink's GPU readback: packed dispatch + one `readTextureInto` into the encoder's
 *   buffer, vs the old one (dispatch into I420 planes, read each plane back, copy it into the buffer).
 *
 * @internal
 * @module
 */
import type { SharedTexture } from '../core/types.js';
import type { VulkanTextureShareManager } from '../core/vulkan/manager.js';
import { createYuv420Planes, gpuRgbaToYuv420Async, readYuv420 } from '../nodes/gpu/gpuRgbaToYuv420.js';
import { createYuv420PackedTexture, gpuRgbaToYuv420PackedAsync } from '../nodes/gpu/gpuRgbaToYuv420Packed.js';
import type { Summary } from './stats.js';
import { timeInterleaved } from './timing.js';

/** Microsecond summaries per frame of each new path and the old path it replaced. */
export interface YuvPathTimes {
  colorConvert: { packed: Summary; planes: Summary };
  encodeReadback: { packed: Summary; planes: Summary };
}

/** Times both pairs on `manager` for `width` x `height` (even) frames of noise. */
export async function timeYuvPaths(manager: VulkanTextureShareManager, width: number, height: number, rounds: number, warmup: number, onProgress?: (fraction: number) => void): Promise<YuvPathTimes> {
  const made: SharedTexture[] = [];
  const keep = <T extends SharedTexture>(texture: T): T => {
    made.push(texture);
    return texture;
  };
  try {
    const source = keep(manager.createShareableTexture({ width, height, format: 'rgba8unorm', usage: ['storage-binding', 'copy-src', 'copy-dst'], label: 'bench rgba' }));
    const noise = new Uint8Array(width * height * 4);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    manager.writeTexture(source, noise);
    // The output frame as the pipeline now makes it (storage-binding) and as it made it before (copy only).
    const output = keep(createYuv420PackedTexture(manager, width, height, 'bench yuv out'));
    const oldOutput = keep(manager.createShareableTexture({ width, height: (height * 3) / 2, format: 'r8unorm', usage: ['copy-src', 'copy-dst'], label: 'bench old yuv out' }));
    const nv12 = createYuv420Planes(manager, width, height, 'nv12');
    made.push(nv12.y, nv12.uv);
    const i420 = createYuv420Planes(manager, width, height, 'i420');
    made.push(i420.y, i420.u, i420.v);
    const encoderBuffer = new Uint8Array((width * height * 3) / 2);

    const [ccPacked, ccPlanes] = (await timeInterleaved(rounds, warmup, [
      () => gpuRgbaToYuv420PackedAsync(manager, source, output, 'nv12'),
      async () => {
        await gpuRgbaToYuv420Async(manager, source, nv12);
        manager.writeTexture(oldOutput, readYuv420(manager, nv12));
      },
    ], (f) => onProgress?.(f / 2))) as [Summary, Summary];

    const [encPacked, encPlanes] = (await timeInterleaved(rounds, warmup, [
      async () => {
        await gpuRgbaToYuv420PackedAsync(manager, source, output, 'i420');
        manager.readTextureInto(output, encoderBuffer);
      },
      async () => {
        await gpuRgbaToYuv420Async(manager, source, i420);
        let offset = 0;
        for (const plane of [i420.y, i420.u, i420.v]) {
          const bytes = manager.readTexture(plane);
          encoderBuffer.set(bytes, offset);
          offset += bytes.byteLength;
        }
      },
    ], (f) => onProgress?.(0.5 + f / 2))) as [Summary, Summary];

    return { colorConvert: { packed: ccPacked, planes: ccPlanes }, encodeReadback: { packed: encPacked, planes: encPlanes } };
  } finally {
    for (const texture of made) texture.release();
  }
}
