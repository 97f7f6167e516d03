/**
 * The sync primitives the graph chooses between, and the sync point a frame carries.
 *
 * @module
 */
import type { ExportableSemaphore } from '../core/types.js';

/**
 * How one edge orders the producer's writes before the consumer's reads (and back):
 * - `none`: same process and queue; nothing beyond ordering on the one queue.
 * - `timeline-semaphore`: one exported timeline semaphore per edge direction; acquire and release
 *   points are its counter values, waited and signaled on the GPU queue where the backend can.
 * - `fence-wait`: the producer waits for its own queue before sending (devices that cannot export
 *   semaphores, such as lavapipe); a degraded path.
 * - `message-order`: the host backend; the socket message itself orders writes before reads.
 */
export type SyncPrimitive = 'none' | 'timeline-semaphore' | 'fence-wait' | 'message-order';

/**
 * A point in time on an edge that a frame's reader or writer must wait for: the frame's
 * `acquire` (producer's writes done) or `release` (consumer done) point.
 */
export interface SyncPoint {
  /** The primitive that realizes this point. */
  readonly primitive: SyncPrimitive;
  /** The timeline semaphore, for `timeline-semaphore`. */
  readonly semaphore?: ExportableSemaphore | undefined;
  /** The counter value to wait for, for `timeline-semaphore`. */
  readonly value?: number | undefined;
}

/** The sync point of a frame that never left its process: nothing to wait for. */
export const NO_SYNC: SyncPoint = Object.freeze({ primitive: 'none' });
