/**
 * `encode`: the ffmpeg encoder sink.
 *
 * @module
 */
import { GeyserError } from '../core/errors.js';
import type { TextureShareManager } from '../core/types.js';
import { VulkanTextureShareManager } from '../core/vulkan/manager.js';
import { defineSink } from '../pipeline/define-node.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import type { NodeScope } from '../pipeline/node-scope.js';
import type { EncoderProgress } from './ffmpeg/backend.js';
import { checkEvenDimension, resolveEncodeOptions, type EncodeOptions } from './ffmpeg/encode-options.js';
import { FfmpegEncoder, type EncodeResult } from './ffmpeg/encoder.js';
import { rgbaToYuv420Async } from './kernels/yuv420-native.js';
import { awaitGpuWork, cpuReason, createPathReporter } from './support/gpu-path.js';
import { createGpuYuvReadback, type GpuYuvReadback } from './support/gpu-yuv-readback.js';

/** Options of the {@link encode} sink: the encoder's, plus the node's name and callbacks. */
export interface EncodeNodeOptions extends EncodeOptions {
  /** Node name in describe() and errors (default `'encode'`). */
  name?: string;
  /** Called with each of ffmpeg's progress reports (about twice a second). */
  onProgress?: (progress: EncoderProgress) => void;
  /** Called once the file is complete and playable. */
  onFinish?: (result: EncodeResult) => void;
}

const FORMATS = new Set(['rgba8unorm', 'rgba8unorm-srgb']);

/** The frame's texels as tightly packed RGBA rows: a view where the backend maps memory, else a copy. */
function rgbaPixels(manager: TextureShareManager, frame: Frame): Uint8Array {
  return manager.mapTexture ? manager.mapTexture(frame.texture) : manager.readTexture(frame.texture);
}

/**
 * An encoder sink: every RGBA frame is converted to yuv420p (BT.709 by default, limited range) straight into
 * one of the encoder's few reusable buffers, and streamed to one ffmpeg process over a Unix socket
 * (or its stdin), which writes the file. ffmpeg gets 12 bits per pixel, not 32.
 *
 * On the Vulkan backend, rgba8unorm frames with storage-binding usage (the default there) are
 * converted on the GPU (`gpuRgbaToYuv420PackedAsync` into one packed I420 texture, bit-exact with
 * the CPU kernel) and read back once, straight into the encoder's buffer (`readTextureInto`):
 * 12 bits per pixel cross the bus instead of 32, with no copy in JS.
 * Other frames are converted on the CPU by the native kernel ({@link rgbaToYuv420Async}, in bands
 * on libuv's thread pool, so the JS thread goes on feeding ffmpeg meanwhile): straight from the
 * mapped shared memory on the host backend, from a readback elsewhere.
 *
 * Backpressure: while every buffer is still on its way to ffmpeg the sink waits, and the pipeline's
 * pools and edges slow the producers down; nothing queues without bound.
 *
 * Failure: if anything upstream fails (or the pipeline is stopped), the sink closes ffmpeg's input
 * gracefully and waits for it to write the file's trailer before the pipeline's `done` settles, so
 * the file stays playable with every frame already encoded. If ffmpeg itself dies, the pipeline fails
 * with `FfmpegFailed` naming the exit code or signal and quoting ffmpeg's last stderr lines.
 *
 * @example
 * ```ts
 * import { encode, pipeline } from 'geyser';
 * await pipeline(
 *   source, // any node emitting rgba8unorm frames of one even size
 *   encode({ output: 'out.mp4', fps: 30, preset: 'veryfast', crf: 23, onProgress: (p) => console.log(p.frames) }),
 * ).done;
 * ```
 * @param options - output, fps, codec, preset, bitrate or crf, container, transport; see {@link EncodeNodeOptions}
 * @returns a sink node
 * @throws `TypeError` for an unknown option; {@link GeyserError} `InvalidDescriptor` for a bad value
 *   (at once), and through the pipeline: `InvalidDescriptor` for an unwritable output (naming it),
 *   `FormatNotSupported` for frames that are not RGBA8, `FfmpegNotFound`, `FfmpegFailed`
 */
export function encode(options: EncodeNodeOptions): OperatorNode<Frame, never> {
  const { name = 'encode', onProgress, onFinish, ...encoderOptions } = options ?? ({} as EncodeNodeOptions);
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new TypeError(`Expected a function for onProgress but received ${typeof onProgress}`);
  if (onFinish !== undefined && typeof onFinish !== 'function') throw new TypeError(`Expected a function for onFinish but received ${typeof onFinish}`);
  // Validate everything now, so a bad option fails where encode() is called, not mid-pipeline.
  resolveEncodeOptions(encoderOptions);
  return defineSink<Frame>(name, (scope) => encodeHandlers(scope, encoderOptions, onProgress, onFinish), { name });
}

/** The per-subscription state and handlers of one encode sink. */
function encodeHandlers(scope: NodeScope<never>, options: EncodeOptions, onProgress: EncodeNodeOptions['onProgress'], onFinish: EncodeNodeOptions['onFinish']) {
  let encoder: FfmpegEncoder | undefined;
  let opening: Promise<FfmpegEncoder> | undefined;
  /** An error the sink already raised, so the teardown does not report it a second time. */
  let raised: unknown;
  /** The GPU converter, made with the encoder on the first frame that can take it. */
  let gpuYuv: GpuYuvReadback | undefined;
  const reportPath = createPathReporter(scope.name);

  const open = async (frame: Frame): Promise<FfmpegEncoder> => {
    const width = checkEvenDimension(frame.width, `node '${scope.name}' frame width`);
    const height = checkEvenDimension(frame.height, `node '${scope.name}' frame height`);
    const opened = await FfmpegEncoder.open({ ...options, width, height });
    if (onProgress) opened.progress$.subscribe({ next: (progress) => onProgress(progress), error: () => {} });
    // Registered the moment it exists: any stop, upstream error or failure finalizes the file.
    // The pipeline waits for the tracked promise before `done` settles.
    scope.add(() => {
      const finishing = opened.finish().then(
        () => undefined,
        (error: unknown) => {
          if (error !== raised) throw error;
        },
      );
      scope.context.trackPending(finishing);
    });
    return opened;
  };

  return {
    async next(frame: Frame): Promise<void> {
      if (!FORMATS.has(frame.format)) {
        throw new GeyserError('FormatNotSupported', `node '${scope.name}' encodes rgba8unorm frames, but frame ${frame.seq} is ${frame.format}`);
      }
      opening ??= open(frame);
      encoder ??= await opening;
      if (frame.width !== encoder.width || frame.height !== encoder.height) {
        throw new GeyserError('InvalidDescriptor', `node '${scope.name}' is encoding ${encoder.width}x${encoder.height}, but frame ${frame.seq} is ${frame.width}x${frame.height}`);
      }
      try {
        const buffer = await encoder.nextBuffer();
        const manager = scope.context.manager;
        const reason = cpuReason(frame);
        reportPath(reason);
        if (reason === undefined && manager instanceof VulkanTextureShareManager) {
          if (gpuYuv === undefined) {
            gpuYuv = createGpuYuvReadback(manager, encoder.width, encoder.height);
            scope.add(gpuYuv);
          }
          await awaitGpuWork(scope, gpuYuv.convert(frame.texture, encoder.options.colorMatrix, buffer));
        } else {
          const pixels = rgbaPixels(manager, frame);
          await rgbaToYuv420Async({ data: pixels, width: frame.width, height: frame.height }, buffer, 'i420', encoder.options.colorMatrix);
        }
        encoder.submit(buffer);
      } catch (error) {
        // Stopped meanwhile (the teardown finished the encoder under us): not a failure.
        if (scope.closed) return;
        raised = error;
        throw error;
      }
    },
    async complete(): Promise<void> {
      if (!encoder) {
        if (!opening) throw new GeyserError('InvalidDescriptor', `node '${scope.name}' received no frames, so '${options.output}' was not written`);
        encoder = await opening;
      }
      try {
        const result = await encoder.finish();
        onFinish?.(result);
      } catch (error) {
        raised = error;
        throw error;
      }
    },
  };
}
