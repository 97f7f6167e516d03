/**
 * `ffmpegSource`: frames decoded by ffmpeg, delivered as pooled shared textures.
 *
 * @module
 */
import { defineSource } from '../pipeline/define-node.js';
import type { SourceNode } from '../pipeline/node.js';
import type { NodePoolOptions } from '../pipeline/node-scope.js';
import type { Frame } from '../pipeline/frame.js';
import { FfmpegDecoder } from './ffmpeg/decoder.js';
import { resolveDecodeOptions, type DecodeOptions } from './ffmpeg/decode-options.js';

/** Options of {@link ffmpegSource}: the decoder's, plus the node's name and pool. */
export interface FfmpegSourceOptions extends DecodeOptions {
  /** Node name in describe() and errors (default `'ffmpegSource'`). */
  name?: string;
  /** The output pool (default: min 2, max 6 frames). */
  pool?: NodePoolOptions;
}

/**
 * A source that decodes a file, an image sequence, a lavfi graph (such as `testsrc2`) or a capture
 * device with ffmpeg, into `rgba8unorm` frames of `width` x `height` from the node's texture pool.
 * On the host backend each frame is read straight into the texture's shared memory (no extra copy).
 * The pool's size bounds how far ffmpeg runs ahead: when every slot is in flight downstream, the
 * source stops reading and ffmpeg blocks on its full pipe.
 *
 * `pts` is `seq / fps` when `fps` is given, else the time since the source started.
 *
 * @example
 * ```ts
 * import { encode, ffmpegSource, pipeline } from 'geyser';
 * await pipeline(
 *   ffmpegSource({ input: 'testsrc2=size=1280x720:rate=30', format: 'lavfi', width: 1280, height: 720, frames: 300, fps: 30 }),
 *   encode({ output: 'testsrc.mp4', fps: 30 }),
 * ).done;
 * ```
 * @param options - input, format, size, frame count; see {@link FfmpegSourceOptions}
 * @returns a source node
 * @throws `TypeError` for an unknown option; {@link GeyserError} `InvalidDescriptor` for a bad value
 *   (at once), and through the pipeline: `FfmpegNotFound`, `FfmpegFailed` (naming the input, the
 *   exit code and ffmpeg's last stderr lines)
 */
export function ffmpegSource(options: FfmpegSourceOptions): SourceNode<Frame> {
  const { name = 'ffmpegSource', pool, ...decodeOptions } = options ?? ({} as FfmpegSourceOptions);
  const resolved = resolveDecodeOptions(decodeOptions);
  return defineSource(
    name,
    async (scope) => {
      const { manager } = scope.context;
      const decoder = FfmpegDecoder.open(resolved);
      scope.add(() => scope.context.trackPending(decoder.close()));
      // Without shared CPU memory (GPU backends) frames land in one scratch buffer, then upload.
      const scratch = manager.mapTexture ? undefined : new Uint8Array(decoder.frameBytes);
      try {
        for (let seq = 0; !scope.closed; seq++) {
          const pts = resolved.fps === undefined ? undefined : Math.round((seq * 1e6) / resolved.fps);
          const frame = await scope.acquireFrame({ width: resolved.width, height: resolved.height, format: 'rgba8unorm' }, pts === undefined ? { seq } : { seq, pts });
          const target = scratch ?? manager.mapTexture!(frame.texture);
          const got = await decoder.read(target);
          if (got === null) {
            frame.release();
            break;
          }
          if (scratch) manager.writeTexture(frame.texture, scratch);
          scope.emit(frame);
        }
      } catch (error) {
        // Stopped while waiting for a slot or for ffmpeg (the pool flushed, the decoder closed):
        // that is the stop, not a failure of this source.
        if (!scope.closed) throw error;
      }
    },
    pool ? { name, pool } : { name },
  );
}
