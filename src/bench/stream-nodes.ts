/**
 * The nodes the pipeline, pool and soak benchmarks stream through: a producer that stamps each
 * frame's sequence number into its pixels (and does nothing else, like the raw baseline's
 * producer), and a consumer that checks every stamp and clocks arrivals. Child-process segments
 * load the producer and the pass-through filter from `children/`.
 *
 * @internal
 * @module
 */
import { defineSink, defineSource, inChildProcess, type Frame, type OperatorNode, type SourceNode } from '../index.js';
import { childScript } from './spawn-peer.js';
import { pathToFileURL } from 'node:url';

/**
 * The environment variable naming a bench child's role, so `/proc/<pid>/environ` says which process
 * of the pipeline a pid is (see `processRole` in proc-stats).
 */
export const ROLE_VARIABLE = 'GEYSER_BENCH_ROLE';

/** Options of the stamping producer (also what its child-segment factory takes). */
export interface StampOptions {
  width: number;
  height: number;
  frames: number;
  /** Frames of the producer's pool that may be in flight at once (default: the pipeline's). */
  poolMax?: number | undefined;
  /** Write every pixel of each frame (as a renderer would) before stamping it (default false). */
  fill?: boolean | undefined;
  /**
   * Put the producer process's texture allocations so far (over all its pools, counted before
   * the frame's own acquire) in each frame's `metadata.allocations`, so the consumer, in another
   * process, can count them exactly (default false: it costs a little per frame).
   */
  reportAllocations?: boolean | undefined;
}

/**
 * Stamps `seq` into the first 4 bytes of a frame (host backend: the shared pixels themselves).
 *
 * @example
 * ```ts
 * stampFrame(manager.mapTexture(frame.texture), frame.seq);
 * ```
 */
export function stampFrame(pixels: Uint8Array, seq: number): void {
  new DataView(pixels.buffer, pixels.byteOffset, 8).setUint32(0, seq, true);
}

/**
 * Reads the stamp back.
 *
 * @example
 * ```ts
 * readStamp(manager.mapTexture(frame.texture)) === frame.seq;
 * ```
 */
export function readStamp(pixels: Uint8Array): number {
  return new DataView(pixels.buffer, pixels.byteOffset, 8).getUint32(0, true);
}

/**
 * The producer: `frames` pooled frames, each stamped with its seq.
 *
 * @example
 * ```ts
 * await pipeline(stampingProducer({ width: 64, height: 64, frames: 10 }), checkingConsumer(() => {})).done;
 * ```
 */
export function stampingProducer(options: StampOptions): SourceNode<Frame> {
  return defineSource(
    'producer',
    async (scope) => {
      const { manager } = scope.context;
      for (let seq = 0; seq < options.frames && !scope.closed; seq++) {
        const metadata = options.reportAllocations ? { allocations: scope.context.poolCounters().reduce((sum, pool) => sum + pool.allocations, 0) } : undefined;
        const frame = await scope.acquireFrame({ width: options.width, height: options.height, format: 'rgba8unorm' }, { seq, pts: seq * 16_667, ...(metadata ? { metadata } : {}) });
        // GPU textures are not CPU-mapped: there a GPU would render, and only the seq travels.
        if (manager.mapTexture) {
          const pixels = manager.mapTexture(frame.texture);
          if (options.fill) pixels.fill(seq & 0xff);
          stampFrame(pixels, seq);
        }
        scope.emit(frame);
      }
    },
    options.poolMax === undefined ? undefined : { pool: { max: options.poolMax } },
  );
}

/**
 * The consumer: checks that frames arrive in order with the right stamp (on CPU-mapped textures;
 * elsewhere the seq alone), then calls `onFrame`.
 * A wrong stamp fails the pipeline (the benchmark must deliver real frames to count them).
 *
 * @example
 * ```ts
 * checkingConsumer((seq) => clock.arrive());
 * ```
 */
export function checkingConsumer(onFrame: (seq: number, frame: Frame) => void): OperatorNode<Frame, never> {
  return defineSink('consumer', (scope) => {
    let expected = 0;
    return {
      next(frame: Frame) {
        const { manager } = scope.context;
        const stamp = manager.mapTexture ? readStamp(manager.mapTexture(frame.texture)) : frame.seq;
        if (frame.seq !== expected || stamp !== expected) {
          throw new Error(`consumer expected frame ${expected}, got seq ${frame.seq} stamped ${stamp}`);
        }
        expected++;
        onFrame(frame.seq, frame);
      },
    };
  });
}

/**
 * The producer as its own process (the first of three).
 *
 * @example
 * ```ts
 * pipeline(producerProcess({ width: 1280, height: 720, frames: 1000 }), filterProcess(), checkingConsumer(() => {}));
 * ```
 */
export function producerProcess(options: StampOptions): OperatorNode<Frame, Frame> {
  return inChildProcess(pathToFileURL(childScript('pipeline-producer')), { name: 'producer', options, env: { [ROLE_VARIABLE]: 'producer' } });
}

/**
 * A pass-through filter as its own process (the middle of three).
 *
 * @example
 * ```ts
 * pipeline(producerProcess(options), filterProcess(), checkingConsumer(() => {}));
 * ```
 */
export function filterProcess(): OperatorNode<Frame, Frame> {
  return inChildProcess(pathToFileURL(childScript('pipeline-passthrough')), { name: 'filter', env: { [ROLE_VARIABLE]: 'filter' } });
}
