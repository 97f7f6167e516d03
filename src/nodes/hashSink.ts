/**
 * `hashSink`: a consumer that checks each frame's checksum stamp and keeps the verdicts.
 *
 * @module
 */
import { invalid } from '../core/validate.js';
import { defineSink } from '../pipeline/define-node.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import { crc32 } from './kernels/crc32.js';
import { verifyChecksum } from './kernels/checksum-stamp.js';
import { GeyserError } from '../core/errors.js';
import { COLOR8X4_FORMATS, readPixels } from './support/frame-pixels.js';
import { splitNodeOptions } from './support/node-options.js';

/** The verdict on one frame. */
export interface FrameHash {
  /** The frame's `seq` as the pipeline carried it. */
  readonly seq: number;
  /** The seq written in the frame's checksum stamp; -1 when the frame has no stamp. */
  readonly stampSeq: number;
  /** True when the stamp's CRC matches the pixels (the picture arrived intact). */
  readonly ok: boolean;
  /** CRC-32 of the whole texture, stamp row included: equal frames have equal hashes. */
  readonly crc: number;
}

/** Options of {@link hashSink}. */
export interface HashSinkOptions {
  /** Called with each verdict as it is made. */
  onFrame?: (hash: FrameHash) => void;
  /** Node name (default `'hashSink'`). */
  name?: string;
}

/** A {@link hashSink} node, with the verdicts it collected. */
export type HashSinkNode = OperatorNode<Frame, never> & {
  /** Every verdict so far, in arrival order (across runs of this node). */
  readonly results: readonly FrameHash[];
};

/**
 * Consumes RGBA8 or BGRA8 frames, checks each one's checksum stamp (see {@link stampChecksum}; a
 * {@link testPattern} stamps every frame), hashes the whole texture, and keeps the verdicts in
 * `results`: the way tests and health checks tell that every frame arrived, in order, intact, even
 * across processes.
 *
 * @example
 * ```ts
 * const hashes = hashSink();
 * await pipeline(testPattern({ width: 640, height: 360, frames: 100 }), hashes).done;
 * const bad = hashes.results.filter((h) => !h.ok || h.stampSeq !== h.seq);
 * console.log(`${hashes.results.length} frames, ${bad.length} bad`);
 * ```
 * @param options - a per-frame callback
 * @returns a sink node with `results`
 * @throws GeyserError `InvalidDescriptor` for a non-function `onFrame`; `TypeError` for an unknown
 *   option; at run time `FormatNotSupported` for a frame that is not RGBA8 or BGRA8
 */
export function hashSink(options?: HashSinkOptions): HashSinkNode {
  const common = splitNodeOptions(options, ['onFrame'], 'hashSink');
  const onFrame = options?.onFrame;
  if (onFrame !== undefined && typeof onFrame !== 'function') invalid('a function', 'hashSink.onFrame', onFrame);
  const results: FrameHash[] = [];
  const node = defineSink<Frame>(
    'hashSink',
    (scope) => ({
      next(frame) {
        if (!COLOR8X4_FORMATS.includes(frame.format)) {
          throw new GeyserError('FormatNotSupported', `node '${scope.name}' checks ${COLOR8X4_FORMATS.join(', ')} frames but frame ${frame.seq} is ${frame.format}`);
        }
        const pixels = readPixels(frame);
        const verdict = frame.width >= 3 && frame.height >= 2 ? verifyChecksum(pixels, frame.width, frame.height) : { seq: -1, ok: false };
        const hash: FrameHash = Object.freeze({ seq: frame.seq, stampSeq: verdict.seq, ok: verdict.ok, crc: crc32(pixels) });
        results.push(hash);
        onFrame?.(hash);
      },
    }),
    common,
  );
  return Object.defineProperty(node, 'results', { get: () => results, enumerable: true }) as HashSinkNode;
}
