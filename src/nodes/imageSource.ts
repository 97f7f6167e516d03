/**
 * `imageSource`: a source that emits a PNG file's picture as frames.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { GeyserError } from '../core/errors.js';
import { checkIntegerInRange, invalid } from '../core/validate.js';
import { defineSource } from '../pipeline/define-node.js';
import type { Frame } from '../pipeline/frame.js';
import type { SourceNode } from '../pipeline/node.js';
import { decodePng } from './codecs/png-decode.js';
import { writablePixels } from './support/frame-pixels.js';
import { checkFps, createFrameClock } from './support/frame-clock.js';
import { splitNodeOptions } from './support/node-options.js';

/** Options of {@link imageSource}. */
export interface ImageSourceOptions {
  /** A PNG file: 8-bit gray, gray+alpha, RGB, RGBA or palette, not interlaced. */
  path: string;
  /**
   * Frames to emit, all the same picture; default `Infinity`, which suits {@link fanIn} (it ends
   * with its shortest input). Alone in a pipeline, give a count.
   */
  frames?: number;
  /** Frame rate for pacing and pts, as {@link testPattern}'s `fps`; omitted: unpaced, pts at 30 fps. */
  fps?: number;
  /** Node name (default `'imageSource'`). */
  name?: string;
  /** Output pool settings. */
  pool?: { min?: number; max?: number; leaseTimeoutMs?: number };
}

/**
 * Reads a PNG file once (decoded by Geyser's own decoder on `node:zlib`, to RGBA) and emits its
 * picture as `rgba8unorm` frames from its pool: a still input for {@link composite} overlays, or a
 * known picture for tests.
 *
 * @example
 * ```ts
 * await pipeline(imageSource({ path: 'card.png', frames: 1 }), pngSink({ path: 'copy-%d.png' })).done;
 * ```
 * @param options - the file, frame count and rate
 * @returns a source node
 * @throws GeyserError `InvalidDescriptor` for a bad option; `TypeError` for an unknown option; at run
 *   time `Other` when the file cannot be read, `InvalidDescriptor`/`FormatNotSupported` for a bad PNG
 */
export function imageSource(options: ImageSourceOptions): SourceNode<Frame> {
  const common = splitNodeOptions(options, ['path', 'frames', 'fps'], 'imageSource');
  const path = options.path;
  if (typeof path !== 'string' || path === '') invalid('a file path', 'imageSource.path', path);
  const frames = options.frames ?? Infinity;
  if (frames !== Infinity) checkIntegerInRange(frames, 'imageSource.frames', 0, Number.MAX_SAFE_INTEGER);
  const fps = checkFps(options.fps, 'imageSource.fps');
  return defineSource(
    'imageSource',
    async (scope) => {
      const clock = createFrameClock(fps);
      let file: Buffer;
      try {
        file = await readFile(path);
      } catch (cause) {
        const error = cause as NodeJS.ErrnoException;
        throw new GeyserError('Other', `node '${scope.name}' cannot read '${path}': ${error.message}`, { cause, detail: error.code });
      }
      const image = decodePng(file, path);
      for (let seq = 0; seq < frames && !scope.closed; seq++) {
        await clock.due(seq, scope.signal);
        if (scope.closed) return;
        const frame = await scope.acquireFrame({ width: image.width, height: image.height, format: 'rgba8unorm' }, { seq, pts: clock.pts(seq) });
        const pixels = writablePixels(frame);
        pixels.data.set(image.data);
        pixels.commit();
        scope.emit(frame);
      }
    },
    common,
  );
}
