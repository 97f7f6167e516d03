/**
 * RGBA -> 8-bit 4:2:0 YUV (NV12 or I420) on the GPU, into one storage texture per plane.
 *
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import type { SharedTexture } from '../../core/types.js';
import { checkKnownKeys, expectedMessage, invalid, isPlainObject } from '../../core/validate.js';
import type { VulkanTextureShareManager } from '../../core/vulkan/manager.js';
import type { ComputeDispatch } from '../../core/vulkan/compute.js';
import { checkSize, checkTexture, checkVulkanManager, groupsFor, runNow, runQueued } from './checks.js';
import { builtinSpirv } from './shaders.js';
import { YUV_MATRICES, type YuvMatrix } from '../kernels/yuv420.js';
import { yuvPushConstants } from './yuvCoefficients.js';

/** Plane textures of an NV12 frame: Y (r8unorm, W x H) and interleaved UV (rg8unorm, ceil(W/2) x ceil(H/2)). */
export interface Nv12Planes {
  /** Luma, r8unorm, full size. */
  readonly y: SharedTexture;
  /** Interleaved U, V, rg8unorm, half size rounded up. */
  readonly uv: SharedTexture;
}

/** Plane textures of an I420 (`yuv420p`) frame: Y (W x H), U and V (ceil(W/2) x ceil(H/2)), all r8unorm. */
export interface I420Planes {
  /** Luma, r8unorm, full size. */
  readonly y: SharedTexture;
  /** U, r8unorm, half size rounded up. */
  readonly u: SharedTexture;
  /** V, r8unorm, half size rounded up. */
  readonly v: SharedTexture;
}

/** The planes of either layout. */
export type Yuv420Planes = Nv12Planes | I420Planes;


function isNv12(planes: Yuv420Planes): planes is Nv12Planes {
  return 'uv' in planes;
}

/**
 * Creates the plane textures for {@link gpuRgbaToYuv420} (storage-binding and copy-src usage, so
 * {@link readYuv420} can read them back).
 *
 * @example
 * ```ts
 * const planes = createYuv420Planes(manager, 1280, 720, 'nv12');
 * ```
 * @param manager - the Vulkan manager to create them on
 * @param width - frame width in pixels
 * @param height - frame height in pixels
 * @param layout - `'nv12'` (Y + interleaved UV) or `'i420'` (Y, U, V)
 * @throws {@link GeyserError} `InvalidDescriptor` for a bad size or layout; `FormatNotSupported`
 *   where the device has no r8/rg8 storage images.
 */
export function createYuv420Planes(manager: unknown, width: number, height: number, layout: 'nv12'): Nv12Planes;
export function createYuv420Planes(manager: unknown, width: number, height: number, layout: 'i420'): I420Planes;
export function createYuv420Planes(manager: unknown, width: number, height: number, layout: 'nv12' | 'i420'): Yuv420Planes {
  const vulkan = checkVulkanManager(manager);
  if (layout !== 'nv12' && layout !== 'i420') invalid("one of 'nv12', 'i420'", 'layout', layout);
  const usage = ['storage-binding', 'copy-src'] as const;
  const y = vulkan.createShareableTexture({ width, height, format: 'r8unorm', usage: [...usage], label: `${layout} Y` });
  const half = (format: 'r8unorm' | 'rg8unorm', label: string) =>
    vulkan.createShareableTexture({ width: Math.ceil(width / 2), height: Math.ceil(height / 2), format, usage: [...usage], label });
  try {
    if (layout === 'nv12') return { y, uv: half('rg8unorm', 'nv12 UV') };
    const u = half('r8unorm', 'i420 U');
    try {
      return { y, u, v: half('r8unorm', 'i420 V') };
    } catch (error) {
      u.release();
      throw error;
    }
  } catch (error) {
    y.release();
    throw error;
  }
}

/**
 * Converts an RGBA texture to limited-range 4:2:0 YUV planes with a compute shader, bit-exact with
 * the CPU kernel (`rgbaToYuv420`): per pixel `Y = (yr R + yg G + yb B + (16 << 16) + (1 << 15)) >> 16`,
 * per 2x2 block (edge pixels repeat for odd sizes) `U = (ur Rs + ug Gs + ub Bs + (128 << 18) + (1 << 17)) >> 18`
 * over the block sums, likewise V. Planes with `uv` are NV12, planes with `u` and `v` are I420.
 *
 * @example
 * ```ts
 * const planes = createYuv420Planes(manager, frame.width, frame.height, 'nv12');
 * gpuRgbaToYuv420(manager, frame, planes);          // BT.709
 * ffmpegStdin.write(readYuv420(manager, planes));   // -f rawvideo -pix_fmt nv12
 * ```
 * @param manager - the Vulkan manager owning the textures
 * @param source - rgba8unorm texture with storage-binding usage
 * @param planes - from {@link createYuv420Planes} (or your own textures of the same formats and sizes)
 * @param matrix - `'bt709'` (default) or `'bt601'`
 * @throws {@link GeyserError} `InvalidDescriptor` for a wrong plane format or size or matrix;
 *   `OperationNotSupported` without storage-binding usage or for a non-Vulkan manager.
 */
export function gpuRgbaToYuv420(manager: unknown, source: SharedTexture, planes: Yuv420Planes, matrix: YuvMatrix = 'bt709'): void {
  const [vulkan, dispatch] = plan(manager, source, planes, matrix);
  runNow(vulkan, [dispatch]);
}

/**
 * {@link gpuRgbaToYuv420} off the JS thread (see `dispatchComputeAsync`); bad arguments reject.
 *
 * @example
 * ```ts
 * await gpuRgbaToYuv420Async(manager, frame, planes, 'bt709');
 * ```
 * @param manager - the Vulkan manager owning the textures
 * @param source - rgba8unorm texture with storage-binding usage
 * @param planes - from {@link createYuv420Planes}
 * @param matrix - `'bt709'` (default) or `'bt601'`
 * @throws {@link GeyserError} as {@link gpuRgbaToYuv420}, as a rejection.
 */
export async function gpuRgbaToYuv420Async(manager: unknown, source: SharedTexture, planes: Yuv420Planes, matrix: YuvMatrix = 'bt709'): Promise<void> {
  const [vulkan, dispatch] = plan(manager, source, planes, matrix);
  await runQueued(vulkan, [dispatch]);
}

function plan(manager: unknown, source: SharedTexture, planes: Yuv420Planes, matrix: YuvMatrix): [VulkanTextureShareManager, ComputeDispatch] {
  const vulkan = checkVulkanManager(manager);
  checkTexture(source, 'source', 'rgba8unorm');
  if (!YUV_MATRICES.includes(matrix)) invalid(`one of ${YUV_MATRICES.join(', ')}`, 'matrix', matrix);
  const planeList = checkPlanes(planes, source.width, source.height);
  const spirv = builtinSpirv(planeList.length === 2 ? 'colorConvertNv12' : 'colorConvertI420');
  // One invocation per 2x2 block: the grid is the chroma plane.
  const chroma = planeList[1]!;
  return [vulkan, { spirv, textures: [source, ...planeList], pushConstants: yuvPushConstants(matrix), groups: groupsFor(chroma.width, chroma.height) }];
}

/** Checks the planes' formats and sizes; returns them in binding order: [y, uv] or [y, u, v]. */
function checkPlanes(planes: unknown, width: number, height: number): SharedTexture[] {
  if (!isPlainObject(planes)) throw new GeyserError('InvalidDescriptor', expectedMessage('an object { y, uv } or { y, u, v }', 'planes', planes));
  const chromaWidth = Math.ceil(width / 2);
  const chromaHeight = Math.ceil(height / 2);
  const typed = planes as unknown as Yuv420Planes;
  const y = checkTexture(typed.y, 'planes.y', 'r8unorm');
  checkSize(y, 'planes.y', width, height);
  if (isNv12(typed)) {
    checkKnownKeys(planes, ['y', 'uv'], 'NV12 planes');
    const uv = checkTexture(typed.uv, 'planes.uv', 'rg8unorm');
    checkSize(uv, 'planes.uv', chromaWidth, chromaHeight);
    return [y, uv];
  }
  checkKnownKeys(planes, ['y', 'u', 'v'], 'I420 planes');
  const u = checkTexture(typed.u, 'planes.u', 'r8unorm');
  const v = checkTexture(typed.v, 'planes.v', 'r8unorm');
  checkSize(u, 'planes.u', chromaWidth, chromaHeight);
  checkSize(v, 'planes.v', chromaWidth, chromaHeight);
  return [y, u, v];
}

/**
 * Reads the planes back as one tightly packed frame in the CPU kernel's layout: Y, then UV
 * interleaved (NV12) or U then V (I420); `width * height + 2 * ceil(width/2) * ceil(height/2)` bytes.
 *
 * @example
 * ```ts
 * const bytes = readYuv420(manager, planes);
 * ```
 * @param manager - the Vulkan manager owning the planes
 * @param planes - plane textures with copy-src usage
 * @throws {@link GeyserError} `OperationNotSupported` without copy-src usage.
 */
export function readYuv420(manager: unknown, planes: Yuv420Planes): Uint8Array {
  const vulkan: VulkanTextureShareManager = checkVulkanManager(manager);
  const parts = isNv12(planes) ? [planes.y, planes.uv] : [planes.y, planes.u, planes.v];
  const bytes = parts.map((plane) => vulkan.readTexture(plane));
  const out = new Uint8Array(bytes.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of bytes) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
