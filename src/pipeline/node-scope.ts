/**
 * `NodeScope`: what a node's code sees during one subscription — emit, acquire frames from the
 * node's output pool, register resources for teardown, the pipeline context.
 *
 * @module
 */
import type { Subscriber } from 'rxjs';
import { GeyserError } from '../core/errors.js';
import { validateDescriptor, type TextureDescriptor, type ValidatedDescriptor } from '../core/descriptor.js';
import type { TextureFormat } from '../core/formats.js';
import type { TextureUsage } from '../core/usages.js';
import type { PipelineContext } from './context.js';
import { createFrame, Frame, releaseFrames } from './frame.js';
import type { NodeMetrics } from './metrics.js';
import { TeardownList, combineErrors, type Teardown } from './teardown.js';
import type { TexturePool } from './texture-pool.js';

/** The texture a node asks for with {@link NodeScope.acquireFrame}. */
export interface FrameRequest {
  width: number;
  height: number;
  format: TextureFormat;
  /**
   * Default `['copy-src', 'copy-dst']`, plus `'storage-binding'` for rgba8unorm on the Vulkan
   * backend (so filters downstream can run their GPU kernels on the frame).
   */
  usage?: readonly TextureUsage[];
}

/** Sequence number, timestamp and metadata for {@link NodeScope.acquireFrame}. */
export interface AcquireFrameInit {
  /** Default: the template frame's seq, or the node's own counter from 0. */
  seq?: number;
  /** Microseconds. Default: the template frame's pts, or the time since the node started. */
  pts?: number;
  /** Default: the template frame's metadata, or none. */
  metadata?: Readonly<Record<string, unknown>>;
}

/** Settings of the pools a node's frames come from. */
export interface NodePoolOptions {
  /** Slots allocated up front (default 2). */
  min?: number;
  /** Most frames of this node in flight at once (default 6). */
  max?: number;
  /** Report a frame held longer than this, naming the holder (default 0: never). */
  leaseTimeoutMs?: number;
}

const DEFAULT_USAGE: readonly TextureUsage[] = ['copy-src', 'copy-dst'];
/** Vulkan rgba8unorm frames are also storage images: the GPU filters (src/nodes/gpu) read and write them in place. */
const VULKAN_RGBA_USAGE: readonly TextureUsage[] = ['copy-src', 'copy-dst', 'storage-binding'];

/** The usage of a frame requested without one: what the pipeline's nodes may need of it on this backend. @internal */
export function defaultFrameUsage(backend: string, format: TextureFormat): readonly TextureUsage[] {
  return backend === 'vulkan' && format === 'rgba8unorm' ? VULKAN_RGBA_USAGE : DEFAULT_USAGE;
}

/**
 * The per-subscription handle a node's code works through. One scope exists per subscription, so
 * closure locals beside it are per-subscription state too.
 *
 * @example
 * ```ts
 * const stamp = defineFilter('stamp', (scope) => {
 *   let count = 0; // per-subscription state
 *   scope.add(() => console.log(`stamped ${count} frames`)); // runs once, at teardown
 *   return { next: (frame) => { count++; scope.emit(frame.with({ metadata: { stamped: true } })); } };
 * });
 * ```
 */
export class NodeScope<Out = Frame> {
  /** The node's name (unique within its pipeline). */
  readonly name: string;
  readonly #subscriber: Subscriber<Out>;
  readonly #metrics: () => NodeMetrics;
  readonly #abort = new AbortController();
  readonly #teardown: TeardownList;
  readonly #poolOptions: NodePoolOptions;
  #context: PipelineContext | undefined;
  #pool: TexturePool | undefined;
  #seq = 0;
  #started = performance.now();
  #current: unknown;
  #moved = false;
  #finished = false;
  /** Frames acquired but not yet emitted: released at teardown. */
  readonly #unemitted = new Set<Frame>();
  readonly #preTeardown: Array<() => void> = [];

  /** @internal made by the node helper */
  constructor(name: string, subscriber: Subscriber<Out>, metrics: () => NodeMetrics, poolOptions: NodePoolOptions, context?: PipelineContext) {
    this.name = name;
    this.#subscriber = subscriber;
    this.#metrics = metrics;
    this.#poolOptions = poolOptions;
    this.#context = context;
    this.#teardown = new TeardownList((error) => this.#context?.reportError(error));
  }

  /**
   * The pipeline context (manager, pools).
   * @throws `Other` when the node runs under plain `.pipe()` and no frame has arrived yet
   */
  get context(): PipelineContext {
    if (!this.#context) throw new GeyserError('Other', `node '${this.name}' has no pipeline context yet (run it inside pipeline(), or wait for its first frame)`);
    return this.#context;
  }

  /** True once the node completed, errored or was unsubscribed: emit does nothing then. */
  get closed(): boolean {
    return this.#finished || this.#subscriber.closed;
  }

  /** Aborted at teardown: pass it to anything that waits. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /**
   * Sends a value downstream. The node gives up its reference: a frame emitted is no longer the
   * node's to release. After teardown the value is released instead.
   * @param value - a frame (or what the node emits)
   * @throws `Released` when emitting a frame reference that was already released
   */
  emit(value: Out): void {
    if (value instanceof Frame) {
      if (value.released) throw new GeyserError('Released', `node '${this.name}' emitted frame ${value.seq}, which has been released`);
      this.#unemitted.delete(value);
      if (value === this.#current) this.#moved = true;
    } else if (value === this.#current) {
      this.#moved = true;
    }
    if (this.closed) {
      releaseFrames(value);
      return;
    }
    this.#metrics().framesOut++;
    this.#subscriber.next(value);
  }

  /**
   * A frame from this node's output pool. The pool is made on first use (and remade, the old one
   * draining, when the size or format changes); while all its slots are in flight this waits
   * (backpressure). The frame is this node's until emitted; if the node stops first it is released.
   *
   * @param request - a frame to match (size, format, usage, seq, pts, metadata) or a size and format
   * @param init - seq, pts and metadata to set
   * @returns a frame whose texture the node may write
   * @throws `PoolFlushing` when the node stops while waiting; `InvalidDescriptor` for a bad request
   */
  async acquireFrame(request: Frame | FrameRequest, init: AcquireFrameInit = {}): Promise<Frame> {
    const context = this.context;
    const template = request instanceof Frame ? request : undefined;
    const descriptor = template
      ? { width: template.width, height: template.height, format: template.format, usage: template.texture.usage }
      : { width: request.width, height: (request as FrameRequest).height, format: (request as FrameRequest).format, usage: (request as FrameRequest).usage ?? defaultFrameUsage(context.manager.backend, (request as FrameRequest).format) };
    const pool = this.#poolFor(context, descriptor);
    const lease = await pool.acquire({ holder: this.name, signal: this.#abort.signal });
    const frame = createFrame(
      {
        texture: lease.texture,
        slot: lease.slot,
        poolId: pool.id,
        poolName: pool.name,
        get holder() {
          return lease.holder;
        },
        set holder(name: string) {
          lease.holder = name;
        },
        giveBack: () => pool.giveBack(lease),
      },
      context,
      {
        seq: init.seq ?? template?.seq ?? this.#seq++,
        pts: init.pts ?? template?.pts ?? Math.round((performance.now() - this.#started) * 1000),
        metadata: init.metadata ?? template?.metadata,
      },
    );
    if (this.closed) {
      frame.release();
      throw new GeyserError('PoolFlushing', `node '${this.name}' stopped while acquiring a frame`);
    }
    this.#unemitted.add(frame);
    return frame;
  }

  /**
   * Registers a finalizer for a resource just acquired (runs once at teardown, newest first; if the
   * node already stopped, runs now). Returns the resource.
   * @param teardown - a function, or an object with release/dispose/unsubscribe/close
   */
  add<T extends Teardown>(teardown: T): T {
    return this.#teardown.add(teardown);
  }

  /** Forgets a finalizer whose resource was freed on its own. */
  remove(teardown: Teardown): void {
    this.#teardown.remove(teardown);
  }

  /** Ends the node with an error (after its teardown; teardown errors are aggregated with it). */
  error(error: unknown): void {
    if (this.closed) {
      this.#context?.reportError(error);
      return;
    }
    this.#finished = true;
    const errors = this.teardown();
    this.#subscriber.error(combineErrors([error, ...errors], `in node '${this.name}'`));
  }

  /** Ends the node (after its teardown; a teardown error turns completion into that error). */
  complete(): void {
    if (this.closed) return;
    this.#finished = true;
    const errors = this.teardown();
    const error = combineErrors(errors, `while tearing down node '${this.name}'`);
    if (error === undefined) this.#subscriber.complete();
    else this.#subscriber.error(error);
  }

  /** @internal the helper sets the context from the first frame under plain `.pipe()` */
  bindContext(context: PipelineContext): void {
    this.#context ??= context;
  }

  /** @internal the input being handled (so emitting it moves it instead of releasing) */
  beginInput(item: unknown): void {
    this.#current = item;
    this.#moved = false;
  }

  /** @internal this node's counters */
  get metrics(): NodeMetrics {
    return this.#metrics();
  }

  /** @internal true when the input being handled was emitted (it belongs downstream now) */
  get inputMoved(): boolean {
    return this.#moved;
  }

  /** @internal ends handling of the current input; true if the node emitted it */
  endInput(): boolean {
    const moved = this.#moved;
    this.#current = undefined;
    this.#moved = false;
    return moved;
  }

  /** @internal runs before the registered finalizers (unsubscribe upstream, drop the queue) */
  beforeTeardown(step: () => void): void {
    if (this.#teardown.closed) step(); // the node already stopped (synchronously, during subscribe)
    else this.#preTeardown.push(step);
  }

  /**
   * Runs the node's teardown exactly once: abort, helper steps, unemitted frames, finalizers
   * (newest first), output pool. Returns the errors raised (empty on a second call).
   * @internal
   */
  teardown(): unknown[] {
    if (this.#teardown.closed) return [];
    this.#finished = true;
    const errors: unknown[] = [];
    const attempt = (step: () => void): void => {
      try {
        step();
      } catch (error) {
        errors.push(error);
      }
    };
    attempt(() => this.#abort.abort(new GeyserError('PoolFlushing', `node '${this.name}' stopped`)));
    for (const step of this.#preTeardown.splice(0)) attempt(step);
    for (const frame of this.#unemitted) attempt(() => frame.release());
    this.#unemitted.clear();
    errors.push(...this.#teardown.run());
    if (this.#pool) {
      const pool = this.#pool;
      this.#pool = undefined;
      attempt(() => this.#context?.retirePool(pool));
    }
    return errors;
  }

  #poolFor(context: PipelineContext, request: { width: number; height: number; format: TextureFormat; usage: readonly TextureUsage[] }): TexturePool {
    const current = this.#pool;
    if (current && matches(current.descriptor, request)) return current;
    const descriptor: TextureDescriptor = { width: request.width, height: request.height, format: request.format, usage: [...request.usage], label: this.name };
    validateDescriptor(descriptor, `node '${this.name}' frame`);
    // A new size/format gets a new pool; the old one drains as its frames are released downstream.
    if (current) context.retirePool(current);
    this.#pool = context.createPool({
      descriptor,
      name: this.name,
      min: this.#poolOptions.min ?? Math.min(2, this.#poolOptions.max ?? 6),
      max: this.#poolOptions.max ?? 6,
      leaseTimeoutMs: this.#poolOptions.leaseTimeoutMs ?? 0,
    });
    return this.#pool;
  }
}

function matches(descriptor: ValidatedDescriptor, request: { width: number; height: number; format: TextureFormat; usage: readonly TextureUsage[] }): boolean {
  return descriptor.width === request.width && descriptor.height === request.height && descriptor.format === request.format && descriptor.usage.join() === request.usage.join();
}
