/**
 * Backpressure policies of an edge, and the bounded input queue of a node that applies them.
 *
 * @module
 */
import { GeyserError } from '../core/errors.js';
import { checkIntegerInRange, checkKnownKeys, expectedMessage, isPlainObject } from '../core/validate.js';

/**
 * What an edge does when its consumer is busy and a frame arrives:
 * - `block`: queue it; the producer slows down when its pool runs out of slots (memory stays bounded
 *   by the pool's `max`).
 * - `drop-oldest`: keep at most `capacity` queued; the oldest queued frame is dropped (its slot goes
 *   back to the producer), so the producer never stalls and the consumer sees the newest frames.
 * - `drop-newest`: keep at most `capacity` queued; the arriving frame is dropped.
 */
export type BackpressurePolicy = 'block' | 'drop-oldest' | 'drop-newest';

/** Backpressure settings of the edge into a node. */
export interface EdgeOptions {
  /** Default `'block'`. */
  policy?: BackpressurePolicy;
  /** Frames queued at most for the drop policies (default 1, range 1..1024; `block` ignores it). */
  capacity?: number;
}

/** Validated {@link EdgeOptions}. @internal */
export interface ResolvedEdgeOptions {
  policy: BackpressurePolicy;
  capacity: number;
}

const POLICIES: readonly BackpressurePolicy[] = ['block', 'drop-oldest', 'drop-newest'];

/** Validates edge options, naming `field` in errors. @internal */
export function resolveEdgeOptions(options: unknown, field: string): ResolvedEdgeOptions {
  if (options === undefined) return { policy: 'block', capacity: 1 };
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', field, options));
  checkKnownKeys(options, ['policy', 'capacity'], field);
  const policy = options.policy ?? 'block';
  if (!POLICIES.includes(policy as BackpressurePolicy)) {
    throw new GeyserError('InvalidDescriptor', expectedMessage(`one of ${POLICIES.join(', ')}`, `${field}.policy`, policy));
  }
  const capacity = options.capacity === undefined ? 1 : checkIntegerInRange(options.capacity, `${field}.capacity`, 1, 1024);
  return { policy: policy as BackpressurePolicy, capacity };
}

/** A queued item and when it arrived (`performance.now()`). @internal */
export interface QueueEntry<T> {
  item: T;
  at: number;
}

/**
 * A node's input queue under one policy. `push` returns the entry it dropped, if any.
 * @internal
 */
export class InputQueue<T> {
  readonly #entries: QueueEntry<T>[] = [];
  #head = 0;

  constructor(readonly options: ResolvedEdgeOptions) {}

  /** Entries waiting. */
  get length(): number {
    return this.#entries.length - this.#head;
  }

  /** Queues an entry; under a drop policy at capacity, returns the entry dropped. */
  push(entry: QueueEntry<T>): QueueEntry<T> | undefined {
    const { policy, capacity } = this.options;
    if (policy !== 'block' && this.length >= capacity) {
      if (policy === 'drop-newest') return entry;
      const dropped = this.shift();
      this.#entries.push(entry);
      return dropped;
    }
    this.#entries.push(entry);
    return undefined;
  }

  /** The oldest entry, removed. */
  shift(): QueueEntry<T> | undefined {
    if (this.#head >= this.#entries.length) return undefined;
    const entry = this.#entries[this.#head]!;
    this.#entries[this.#head] = undefined as unknown as QueueEntry<T>;
    this.#head++;
    if (this.#head > 64 && this.#head * 2 > this.#entries.length) {
      this.#entries.splice(0, this.#head);
      this.#head = 0;
    }
    return entry;
  }

  /** Removes and returns every entry. */
  drain(): QueueEntry<T>[] {
    const rest = this.#entries.slice(this.#head);
    this.#entries.length = 0;
    this.#head = 0;
    return rest;
  }
}
