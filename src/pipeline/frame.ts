/**
 * `Frame`: a reference-counted lease on a pooled shared texture, with its sync points, sequence
 * number, timestamp and metadata.
 *
 * @module
 */
import { GeyserError } from '../core/errors.js';
import type { TextureFormat } from '../core/formats.js';
import type { SharedTexture } from '../core/types.js';
import { NO_SYNC, type SyncPoint } from './sync-point.js';
import type { PipelineContext } from './context.js';

/**
 * Where a frame's texture lives and how to give it back; shared by every reference to the frame.
 * A local frame gives its pool lease back; a frame received from another process sends a release
 * message upstream.
 *
 * @internal
 */
export interface FrameBacking {
  readonly texture: SharedTexture;
  /** The slot index in its pool. */
  readonly slot: number;
  /** The pool's id, unique across processes (`<pid>.<n>`). */
  readonly poolId: string;
  /** The pool's name, for messages. */
  readonly poolName: string;
  /** Who holds the frame now (a node name); pool lease timeouts report it. */
  holder: string;
  /** Gives the slot back once the last reference is released. */
  giveBack(): void;
}

/** Sequence number, timestamp and metadata of a new frame. */
export interface FrameInit {
  /** Sequence number (non-negative integer); sources count from 0. */
  seq: number;
  /** Presentation timestamp in microseconds. */
  pts: number;
  /** Free-form metadata, copied and frozen. */
  metadata?: Readonly<Record<string, unknown>> | undefined;
  /** When the producer's writes are done (default: nothing to wait for). */
  acquire?: SyncPoint | undefined;
}

interface SharedState {
  readonly backing: FrameBacking;
  readonly context: PipelineContext;
  refs: number;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * One frame moving through a pipeline: a lease on a pooled texture plus its sync points, `seq`,
 * `pts` and `metadata`.
 *
 * A `Frame` object is one reference. A node owns the frames it receives and either emits them
 * downstream or releases them; the node helper releases an input frame for you when your handler
 * returns without emitting it. To keep a frame longer, or to hand it to several consumers, take
 * another reference with {@link Frame.retain}: the texture's slot goes back to its pool when the
 * last reference is released (and after the consumer's release point).
 *
 * @example
 * ```ts
 * const invert = defineFilter('invert', (scope) => ({
 *   async next(frame) {
 *     const out = await scope.acquireFrame(frame); // same size/format/seq/pts
 *     const pixels = scope.context.manager.readTexture(frame.texture);
 *     for (let i = 0; i < pixels.length; i += 4) pixels[i] = 255 - pixels[i]!;
 *     scope.context.manager.writeTexture(out.texture, pixels);
 *     scope.emit(out); // `frame` is released for us
 *   },
 * }));
 * ```
 */
export class Frame implements Disposable {
  /** Sequence number given by the source (increasing, gaps mean drops). */
  readonly seq: number;
  /** Presentation timestamp in microseconds. */
  readonly pts: number;
  /** Metadata set by the source or filters (frozen). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** When the producer's writes are done; the graph waits for it before a node reads. */
  readonly acquire: SyncPoint;
  readonly #shared: SharedState;
  #released = false;

  /**
   * @internal Frames are made by the node helper ({@link NodeScope.acquireFrame}) and by edges.
   */
  constructor(shared: SharedState, init: FrameInit) {
    this.#shared = shared;
    this.seq = init.seq;
    this.pts = init.pts;
    this.metadata = init.metadata ? Object.freeze({ ...init.metadata }) : EMPTY;
    this.acquire = init.acquire ?? NO_SYNC;
  }

  /**
   * The frame's texture.
   * @throws `Released` once this reference was released
   */
  get texture(): SharedTexture {
    this.#assertLive();
    return this.#shared.backing.texture;
  }
  /** Width in texels. */
  get width(): number {
    return this.#shared.backing.texture.width;
  }
  /** Height in texels. */
  get height(): number {
    return this.#shared.backing.texture.height;
  }
  /** Pixel format. */
  get format(): TextureFormat {
    return this.#shared.backing.texture.format;
  }
  /** The slot index in its pool. */
  get slot(): number {
    return this.#shared.backing.slot;
  }
  /** Id of the pool the texture belongs to (unique across processes). */
  get poolId(): string {
    return this.#shared.backing.poolId;
  }
  /** The pipeline context the frame belongs to. */
  get context(): PipelineContext {
    return this.#shared.context;
  }
  /** The node holding the frame now. */
  get holder(): string {
    return this.#shared.backing.holder;
  }
  /** @internal set by the node helper as the frame enters a node */
  set holder(name: string) {
    this.#shared.backing.holder = name;
  }
  /** True once this reference was released. */
  get released(): boolean {
    return this.#released;
  }
  /** How many live references the frame has (for fan-out diagnostics). */
  get references(): number {
    return this.#shared.refs;
  }

  /**
   * Takes another reference to the same texture (fan-out, or keeping a frame past a handler).
   * Release each reference exactly once.
   * @throws `Released` once this reference was released
   */
  retain(): Frame {
    this.#assertLive();
    this.#shared.refs++;
    return new Frame(this.#shared, this);
  }

  /**
   * A new reference carrying other metadata (or seq/pts), sharing the texture; this reference is
   * consumed (released) by the call.
   * @param changes - fields to replace; metadata is merged
   * @throws `Released` once this reference was released
   */
  with(changes: { seq?: number; pts?: number; metadata?: Readonly<Record<string, unknown>> }): Frame {
    this.#assertLive();
    const next = new Frame(this.#shared, {
      seq: changes.seq ?? this.seq,
      pts: changes.pts ?? this.pts,
      metadata: changes.metadata ? { ...this.metadata, ...changes.metadata } : this.metadata,
      acquire: this.acquire,
    });
    this.#released = true; // the reference moves to `next`
    return next;
  }

  /**
   * Releases this reference (idempotent). When the last one goes, the slot goes back to its pool
   * (after the release point, across processes).
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (--this.#shared.refs === 0) this.#shared.backing.giveBack();
  }

  [Symbol.dispose](): void {
    this.release();
  }

  #assertLive(): void {
    if (this.#released) {
      throw new GeyserError('Released', `frame ${this.seq} (slot ${this.slot} of pool '${this.#shared.backing.poolName}') has been released`);
    }
  }
}

/**
 * Makes the first reference to a frame.
 * @internal
 */
export function createFrame(backing: FrameBacking, context: PipelineContext, init: FrameInit): Frame {
  return new Frame({ backing, context, refs: 1 }, init);
}

/** Releases a frame, or every frame in an array (fan-in sets); ignores anything else. @internal */
export function releaseFrames(value: unknown): void {
  if (value instanceof Frame) value.release();
  else if (Array.isArray(value)) for (const item of value) if (item instanceof Frame) item.release();
}

/** The first frame in a value (a frame, or a fan-in array). @internal */
export function firstFrame(value: unknown): Frame | undefined {
  if (value instanceof Frame) return value;
  if (Array.isArray(value)) return value.find((item): item is Frame => item instanceof Frame);
  return undefined;
}
