/**
 * `pngSink`: a consumer that writes frames to numbered PNG files.
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GeyserError } from '../core/errors.js';
import { checkIntegerInRange } from '../core/validate.js';
import { defineSink } from '../pipeline/define-node.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import { encodePng } from './codecs/png-encode.js';
import { readRgba } from './support/frame-pixels.js';
import { checkFramePathPattern, formatFramePath } from './support/frame-path.js';
import { splitNodeOptions } from './support/node-options.js';

/** Options of {@link pngSink}. */
export interface PngSinkOptions {
  /** File path with one `%d` or `%0Nd` replaced by the frame's seq, such as `'out/frame-%05d.png'`. */
  path: string;
  /** Write frames whose seq is a multiple of this, 1 (default: every frame) to 2^31 - 1. */
  every?: number;
  /** zlib level 0 to 9 (default 6; 1 is several times faster at 1080p). */
  level?: number;
  /** Node name (default `'pngSink'`). */
  name?: string;
}

/**
 * Writes RGBA frames as PNG files (8-bit RGBA, encoded on `node:zlib`), one per frame whose seq is
 * a multiple of `every`, creating the directory if needed; other frames are released untouched.
 * Encoding runs on the pipeline's thread (hundreds of ms at 1080p), and the next frame waits for the
 * file to be written: this sink is for inspecting frames, not for full-rate output (use an encoder).
 *
 * @example
 * ```ts
 * await pipeline(testPattern({ width: 640, height: 360, frames: 100 }), pngSink({ path: 'out/frame-%03d.png', every: 25 })).done;
 * // out/frame-000.png, out/frame-025.png, out/frame-050.png, out/frame-075.png
 * ```
 * @param options - the path pattern, the stride and the compression level
 * @returns a sink node
 * @throws GeyserError `InvalidDescriptor` for a bad pattern, stride or level; `TypeError` for an
 *   unknown option; at run time `Other` when a file cannot be written, `FormatNotSupported` for a
 *   frame that is not RGBA8
 */
export function pngSink(options: PngSinkOptions): OperatorNode<Frame, never> {
  const common = splitNodeOptions(options, ['path', 'every', 'level'], 'pngSink');
  const pattern = checkFramePathPattern(options.path, 'pngSink.path');
  const every = checkIntegerInRange(options.every ?? 1, 'pngSink.every', 1, 2 ** 31 - 1);
  const level = checkIntegerInRange(options.level ?? 6, 'pngSink.level', 0, 9);
  return defineSink<Frame>(
    'pngSink',
    (scope) => {
      // Directories made so far (the placeholder may sit in a directory name).
      const made = new Set<string>();
      return {
        async next(frame) {
          if (frame.seq % every !== 0) return;
          const path = formatFramePath(pattern, frame.seq);
          // Encoding copies the pixels out, so the frame is free again before the file is written.
          const file = encodePng(readRgba(frame, scope.name), { level });
          try {
            const directory = dirname(path);
            if (!made.has(directory)) {
              await mkdir(directory, { recursive: true });
              made.add(directory);
            }
            await writeFile(path, file);
          } catch (cause) {
            const error = cause as NodeJS.ErrnoException;
            throw new GeyserError('Other', `node '${scope.name}' cannot write frame ${frame.seq} to '${path}': ${error.message}`, { cause, detail: error.code });
          }
        },
      };
    },
    common,
  );
}
