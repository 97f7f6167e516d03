/**
 * `colorConvert`: RGBA frames to 4:2:0 YUV (NV12 or I420) frames for encoders.
 *
 * @module
 */
import { GeyserError } from '../core/errors.js';
import type { TextureUsage } from '../core/usages.js';
import { invalid } from '../core/validate.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import { YUV420_LAYOUTS, YUV_MATRICES, type Yuv420Layout, type YuvMatrix } from './kernels/yuv420.js';
import { rgbaToYuv420Async } from './kernels/yuv420-native.js';
import { gpuColorConvertKernel } from './support/gpu-color-convert-kernel.js';
import { cpuReason } from './support/gpu-path.js';
import { splitNodeOptions } from './support/node-options.js';
import { defineRgbaFilter } from './support/rgba-filter.js';

/** Usage of output frames on the GPU path: the shader writes them, readers copy them out. */
const GPU_OUTPUT_USAGE: readonly TextureUsage[] = ['copy-src', 'copy-dst', 'storage-binding'];

/** Options of {@link colorConvert}. */
export interface ColorConvertOptions {
  /** `'nv12'` (Y plane, then interleaved UV) or `'i420'` (ffmpeg's `yuv420p`: Y, U, V planes). */
  to: Yuv420Layout;
  /** `'bt709'` (default, HD) or `'bt601'` (SD). */
  matrix?: YuvMatrix;
  /** Node name (default `'colorConvert'`). */
  name?: string;
}

/**
 * What {@link colorConvert} puts in each output frame's metadata: the texture is `r8unorm`,
 * `width` x `height * 3 / 2`, holding the 4:2:0 planes; these fields say how to read it.
 */
export interface YuvFrameMetadata {
  /** `'nv12'` or `'i420'`: the ffmpeg `-pix_fmt` is `nv12` or `yuv420p`. */
  readonly pixelFormat: Yuv420Layout;
  /** The picture's width (the texture's width). */
  readonly pictureWidth: number;
  /** The picture's height (two thirds of the texture's height). */
  readonly pictureHeight: number;
  /** `'bt709'` or `'bt601'`: ffmpeg `-colorspace bt709` or `bt470bg`. */
  readonly colorMatrix: YuvMatrix;
  /** Always `'tv'` (limited range: Y 16-235, UV 16-240): ffmpeg `-color_range tv`. */
  readonly colorRange: 'tv';
}

/**
 * Converts RGBA frames to 8-bit 4:2:0 YUV, limited range, ready for an encoder
 * (`-f rawvideo -pix_fmt nv12|yuv420p`): each output frame is an `r8unorm` texture of
 * `width` x `height * 3 / 2` bytes rows (12 bits per pixel) carrying {@link YuvFrameMetadata}.
 * Width and height must be even, as 4:2:0 encoders require. See {@link rgbaToYuv420} for the
 * exact arithmetic. On the Vulkan backend, rgba8unorm frames with storage-binding usage (the
 * default there) are converted on the GPU by one compute dispatch straight into the output frame
 * (`gpuRgbaToYuv420PackedAsync`, bit-exact with the CPU kernel): nothing passes through host
 * memory, and the output frames get storage-binding usage besides copy-src and copy-dst. Other
 * frames take the CPU kernel.
 *
 * @example
 * ```ts
 * await pipeline(testPattern({ width: 1280, height: 720, frames: 300 }), colorConvert({ to: 'nv12' }), nullSink()).done;
 * ```
 * @param options - layout and matrix
 * @returns a filter node
 * @throws GeyserError `InvalidDescriptor` for an unknown layout or matrix; `TypeError` for an unknown
 *   option; at run time `FormatNotSupported` for a non-RGBA8 frame and `InvalidDescriptor` for an odd size
 */
export function colorConvert(options: ColorConvertOptions): OperatorNode<Frame, Frame> {
  const common = splitNodeOptions(options, ['to', 'matrix'], 'colorConvert');
  const layout = options.to;
  if (!YUV420_LAYOUTS.includes(layout)) invalid(`one of ${YUV420_LAYOUTS.join(', ')}`, 'colorConvert.to', layout);
  const matrix = options.matrix ?? 'bt709';
  if (!YUV_MATRICES.includes(matrix)) invalid(`one of ${YUV_MATRICES.join(', ')}`, 'colorConvert.matrix', matrix);
  return defineRgbaFilter(
    'colorConvert',
    common,
    async (input, output) => {
      await rgbaToYuv420Async(input, output.data, layout, matrix);
    },
    (frame) => {
      if (frame.width % 2 !== 0 || frame.height % 2 !== 0) {
        throw new GeyserError('InvalidDescriptor', `colorConvert needs even frame sizes for 4:2:0 but frame ${frame.seq} is ${frame.width}x${frame.height}`);
      }
      // The GPU kernel's shader writes the output frame: it needs storage-binding usage then.
      const usage = cpuReason(frame) === undefined ? GPU_OUTPUT_USAGE : undefined;
      return { width: frame.width, height: (frame.height * 3) / 2, format: 'r8unorm', usage };
    },
    (frame): YuvFrameMetadata => ({ pixelFormat: layout, pictureWidth: frame.width, pictureHeight: frame.height, colorMatrix: matrix, colorRange: 'tv' }),
    { kernelFor: () => gpuColorConvertKernel(layout, matrix), outputNeeds: ['storage-binding'] },
  );
}
