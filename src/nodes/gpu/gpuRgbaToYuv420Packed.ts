/**
 * RGBA -> 8-bit 4:2:0 YUV (NV12 or I420) on the GPU, straight into one packed `r8unorm` texture
 * whose bytes are the encoder-ready frame: no plane textures, no host round trip.
 *
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import type { SharedTexture } from '../../core/types.js';
import type { TextureUsage } from '../../core/usages.js';
import { invalid } from '../../core/validate.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import { YUV420_LAYOUTS, YUV_MATRICES, type Yuv420Layout, type YuvMatrix } from '../kernels/yuv420.js';
import { checkSize, checkTexture, checkVulkanManager, groupsFor, runNow, runQueued } from './checks.js';
import { builtinSpirv } from './shaders.js';
import { yuvPushConstants } from './yuvCoefficients.js';

/** Usage of the textures {@link createYuv420PackedTexture} makes: written by the shader, read back or copied. */
const PACKED_USAGE: readonly TextureUsage[] = ['storage-binding', 'copy-src', 'copy-dst'];

/** Checks that a packed frame's dimension is a positive even integer (4:2:0 halves it exactly). */
function checkEven(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value % 2 !== 0) invalid('positive even integer', field, value);
  return value;
}

/**
 * Creates the packed 4:2:0 texture for `width` x `height` frames: `r8unorm`, `width` x
 * `height * 3 / 2`, with storage-binding (for {@link gpuRgbaToYuv420Packed}), copy-src (to read
 * it back) and copy-dst usage.
 *
 * @example
 * ```ts
 * const packed = createYuv420PackedTexture(manager, 1920, 1080); // r8unorm 1920x1620
 * ```
 * @param manager - the Vulkan manager to create it on
 * @param width - picture width in pixels, positive and even
 * @param height - picture height in pixels, positive and even
 * @param label - texture label (default `'yuv420 packed'`)
 * @throws {@link GeyserError} `InvalidDescriptor` for an odd or non-positive size;
 *   `OperationNotSupported` for a non-Vulkan manager; `FormatNotSupported` where the device has no
 *   r8 storage images.
 */
export function createYuv420PackedTexture(manager: unknown, width: number, height: number, label = 'yuv420 packed'): SharedTexture {
  const vulkan = checkVulkanManager(manager);
  checkEven(width, 'width');
  checkEven(height, 'height');
  return vulkan.createShareableTexture({ width, height: (height * 3) / 2, format: 'r8unorm', usage: [...PACKED_USAGE], label });
}

/**
 * Converts an RGBA texture to limited-range 4:2:0 YUV in one compute dispatch, writing the packed
 * frame into one `r8unorm` texture of `width` x `height * 3 / 2`: read back row by row, its bytes
 * equal `rgbaToYuv420(image, out, layout, matrix)` exactly (same integer math as
 * {@link gpuRgbaToYuv420}). For `'nv12'` the rows after the luma hold interleaved U, V; for `'i420'`
 * (ffmpeg's `yuv420p`) they hold the U plane then the V plane, two chroma rows per texture row.
 * Width and height must be even.
 *
 * @example
 * ```ts
 * const packed = createYuv420PackedTexture(manager, frame.width, frame.height);
 * gpuRgbaToYuv420Packed(manager, frame, packed, 'i420');   // BT.709
 * manager.readTextureInto(packed, encoderBuffer);          // -f rawvideo -pix_fmt yuv420p
 * ```
 * @param manager - the Vulkan manager owning the textures
 * @param source - rgba8unorm texture with storage-binding usage, even width and height
 * @param target - r8unorm texture of `source.width` x `source.height * 3 / 2` with storage-binding
 *   usage (from {@link createYuv420PackedTexture}, or a pipeline frame)
 * @param layout - `'nv12'` or `'i420'`
 * @param matrix - `'bt709'` (default) or `'bt601'`
 * @throws {@link GeyserError} `InvalidDescriptor` for an odd source size, a wrong target format or
 *   size, or an unknown layout or matrix; `OperationNotSupported` without storage-binding usage or
 *   for a non-Vulkan manager; `Released` for a released texture.
 */
export function gpuRgbaToYuv420Packed(manager: unknown, source: SharedTexture, target: SharedTexture, layout: Yuv420Layout, matrix: YuvMatrix = 'bt709'): void {
  const [vulkan, dispatch] = plan(manager, source, target, layout, matrix);
  runNow(vulkan, [dispatch]);
}

/**
 * {@link gpuRgbaToYuv420Packed} off the JS thread (see `dispatchComputeAsync`); bad arguments reject.
 *
 * @example
 * ```ts
 * await gpuRgbaToYuv420PackedAsync(manager, frame, packed, 'nv12', 'bt709');
 * ```
 * @param manager - the Vulkan manager owning the textures
 * @param source - rgba8unorm texture with storage-binding usage, even width and height
 * @param target - r8unorm texture of `source.width` x `source.height * 3 / 2` with storage-binding usage
 * @param layout - `'nv12'` or `'i420'`
 * @param matrix - `'bt709'` (default) or `'bt601'`
 * @throws {@link GeyserError} as {@link gpuRgbaToYuv420Packed}, as a rejection.
 */
export async function gpuRgbaToYuv420PackedAsync(manager: unknown, source: SharedTexture, target: SharedTexture, layout: Yuv420Layout, matrix: YuvMatrix = 'bt709'): Promise<void> {
  const [vulkan, dispatch] = plan(manager, source, target, layout, matrix);
  await runQueued(vulkan, [dispatch]);
}

function plan(manager: unknown, source: SharedTexture, target: SharedTexture, layout: Yuv420Layout, matrix: YuvMatrix): [VulkanTextureShareManager, ComputeDispatch] {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  if (source.width % 2 !== 0 || source.height % 2 !== 0) {
    throw new GeyserError('InvalidDescriptor', `Expected even width and height for source (4:2:0) but received ${source.width}x${source.height}`);
  }
  checkTexture(target, 'target', 'r8unorm');
  checkSize(target, 'target', source.width, (source.height * 3) / 2);
  if (!YUV420_LAYOUTS.includes(layout)) invalid(`one of ${YUV420_LAYOUTS.join(', ')}`, 'layout', layout);
  if (!YUV_MATRICES.includes(matrix)) invalid(`one of ${YUV_MATRICES.join(', ')}`, 'matrix', matrix);
  const spirv = builtinSpirv(layout === 'nv12' ? 'colorConvertNv12Packed' : 'colorConvertI420Packed');
  // One invocation per 2x2 block.
  const groups = groupsFor(source.width / 2, source.height / 2);
  return [vulkan, { spirv, textures: [source, target], pushConstants: yuvPushConstants(matrix), groups }];
}
