/**
 * `TexturePool`: a fixed set of shareable textures reused frame after frame, with the semantics of
 * GStreamer's `GstBufferPool` (configure only while inactive, `min` preallocated, `acquire` waits at
 * `max`, deactivation flushes waiters).
 *
 * @module
 */
import { debuglog } from 'node:util';
import { GeyserError } from '../core/errors.js';
import { validateDescriptor, type TextureDescriptor, type ValidatedDescriptor } from '../core/descriptor.js';
import type { SharedTexture, TextureShareManager } from '../core/types.js';
import { checkIntegerInRange, checkKnownKeys, expectedMessage, isPlainObject } from '../core/validate.js';

const debug = debuglog('geyser');

/** Settings of a {@link TexturePool}. */
export interface TexturePoolOptions {
  /** The texture every slot holds. */
  descriptor: TextureDescriptor;
  /** Slots allocated when the pool is activated (default 2, range 0..max). */
  min?: number;
  /** Most slots that may ever exist; `acquire` waits when all are leased (default 4, range 1..64). */
  max?: number;
  /** Name used in messages and metrics (default: the descriptor's label, else 'pool'). */
  name?: string;
  /**
   * Reports a lease held longer than this many ms, naming the node that holds it (default 0: never).
   * The report goes to `onLeaseTimeout`; the lease itself stays valid.
   */
  leaseTimeoutMs?: number;
  /** Receives the `Timeout` error of a lease held past `leaseTimeoutMs`. */
  onLeaseTimeout?: (error: GeyserError) => void;
}

/** Counters of a pool, readable at any time. */
export interface PoolCounters {
  /** The pool's id, unique across processes (`<pid>.<n>`). */
  id: string;
  name: string;
  /** Textures created over the pool's life (a slot is created once, then reused). */
  allocations: number;
  /** Slots that exist now. */
  slots: number;
  /** Slots free now. */
  free: number;
  /** Slots leased now. */
  leasesOut: number;
  /** Most slots ever leased at once. */
  maxLeasesOut: number;
  /** `acquire` calls waiting for a slot now. */
  waiting: number;
  /** Leases handed out over the pool's life. */
  acquires: number;
  /** True while the pool hands out leases. */
  active: boolean;
}

/** Options of {@link TexturePool.acquire}. */
export interface AcquireOptions {
  /** Who takes the lease (a node name), reported by lease timeouts. */
  holder?: string;
  /** Aborting it rejects a waiting `acquire` (with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * One slot on loan from a {@link TexturePool}. Give it back with {@link TexturePool.giveBack}
 * (a {@link Frame} does that for you when its last reference is released).
 */
export interface PoolLease {
  /** The pool the slot belongs to. */
  readonly pool: TexturePool;
  /** The slot's index in its pool, stable for the pool's life. */
  readonly slot: number;
  /** The slot's texture. */
  readonly texture: SharedTexture;
  /** The node holding the lease now (updated as a frame moves through the graph). */
  holder: string;
}

interface Waiter {
  resolve(lease: PoolLease): void;
  reject(error: unknown): void;
  holder: string;
  cleanup(): void;
}

interface LeaseState extends PoolLease {
  returned: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

let poolCounter = 0;
/** Pools of this process by id, so a frame coming home from a child maps to its own texture. */
const livePools = new Map<string, TexturePool>();
const ALLOWED = ['descriptor', 'min', 'max', 'name', 'leaseTimeoutMs', 'onLeaseTimeout'];

/**
 * A pool of shareable textures of one descriptor, allocated once and reused.
 *
 * The pool starts inactive: {@link configure} it, then {@link activate} it (allocates `min` slots).
 * {@link acquire} hands out a free slot, creates one while fewer than `max` exist, and otherwise
 * waits until a lease comes back. A lease comes back with {@link giveBack}, after its release point
 * (a promise) settles. {@link deactivate} rejects every waiter with `PoolFlushing`; slots then
 * return to the pool as their leases end and are freed. {@link dispose} deactivates for good.
 *
 * @example
 * ```ts
 * const pool = new TexturePool(manager, { descriptor: { width: 1280, height: 720, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] }, min: 2, max: 4 });
 * pool.activate();
 * const lease = await pool.acquire({ holder: 'camera' });
 * manager.writeTexture(lease.texture, pixels);
 * pool.giveBack(lease);
 * console.log(pool.counters()); // { allocations: 2, leasesOut: 0, ... }
 * pool.dispose();
 * ```
 */
export class TexturePool implements Disposable {
  /** Unique across processes: `<pid>.<n>`. */
  readonly id: string;
  readonly #manager: TextureShareManager;
  #descriptor!: ValidatedDescriptor;
  #min = 2;
  #max = 4;
  #name = 'pool';
  #leaseTimeoutMs = 0;
  #onLeaseTimeout: ((error: GeyserError) => void) | undefined;
  #active = false;
  #disposed = false;
  readonly #slots: SharedTexture[] = [];
  /** The descriptor generation each slot was created with; a slot of an old one is freed on return. */
  readonly #slotGeneration: number[] = [];
  #generation = 0;
  readonly #free: number[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #leases = new Set<LeaseState>();
  #allocations = 0;
  #acquires = 0;
  #maxLeasesOut = 0;
  #drained: Promise<void> | undefined;
  #resolveDrained: (() => void) | undefined;

  /**
   * @param manager - creates the slot textures
   * @param options - descriptor, min/max slots and name; see {@link TexturePoolOptions}
   * @throws `InvalidDescriptor` naming a bad field; `TypeError` for an unknown option
   */
  constructor(manager: TextureShareManager, options: TexturePoolOptions) {
    this.id = `${process.pid}.${++poolCounter}`;
    this.#manager = manager;
    this.configure(options);
    livePools.set(this.id, this);
  }

  /** The live pool of this process with that id, if any. @internal */
  static byId(id: string): TexturePool | undefined {
    return livePools.get(id);
  }

  /** The pool's name (for messages and metrics). */
  get name(): string {
    return this.#name;
  }
  /** The descriptor of every slot. */
  get descriptor(): ValidatedDescriptor {
    return this.#descriptor;
  }
  /** Slots allocated on activation. */
  get min(): number {
    return this.#min;
  }
  /** Most slots that can exist. */
  get max(): number {
    return this.#max;
  }
  /** True between {@link activate} and {@link deactivate}. */
  get active(): boolean {
    return this.#active;
  }
  /** True once {@link dispose} ran. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Changes the settings. Allowed only while inactive (as with GstBufferPool); a new descriptor
   * frees the free slots of the old one.
   *
   * @param options - the settings to change
   * @throws `OperationNotSupported` while active or after dispose; `InvalidDescriptor` for a bad value
   */
  configure(options: Partial<TexturePoolOptions>): void {
    if (this.#active) throw new GeyserError('OperationNotSupported', `pool '${this.#name}' is active; configure it only while inactive`);
    if (this.#disposed) throw new GeyserError('Released', `pool '${this.#name}' has been disposed`);
    if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
    checkKnownKeys(options, ALLOWED, 'TexturePool');
    const max = options.max === undefined ? this.#max : checkIntegerInRange(options.max, 'max', 1, 64);
    const min = options.min === undefined ? Math.min(this.#min, max) : checkIntegerInRange(options.min, 'min', 0, max);
    if (options.leaseTimeoutMs !== undefined) this.#leaseTimeoutMs = checkIntegerInRange(options.leaseTimeoutMs, 'leaseTimeoutMs', 0, 2 ** 31 - 1);
    if (options.name !== undefined) {
      if (typeof options.name !== 'string' || options.name === '') throw new GeyserError('InvalidDescriptor', expectedMessage('non-empty string', 'name', options.name));
      this.#name = options.name;
    }
    if (options.onLeaseTimeout !== undefined) this.#onLeaseTimeout = options.onLeaseTimeout;
    if (options.descriptor !== undefined) {
      const descriptor = validateDescriptor(options.descriptor);
      if (this.#descriptor !== undefined && !sameDescriptor(descriptor, this.#descriptor)) {
        this.#freeIdleSlots();
        this.#generation++;
      }
      this.#descriptor = descriptor;
      if (options.name === undefined && this.#name === 'pool' && descriptor.label) this.#name = descriptor.label;
    } else if (this.#descriptor === undefined) {
      throw new GeyserError('InvalidDescriptor', expectedMessage('a texture descriptor', 'descriptor', options.descriptor));
    }
    this.#min = min;
    this.#max = max;
  }

  /**
   * Starts handing out leases; allocates slots up to `min`.
   * @throws `Released` after dispose; the backend's error if a texture cannot be created
   */
  activate(): void {
    if (this.#disposed) throw new GeyserError('Released', `pool '${this.#name}' has been disposed`);
    if (this.#active) return;
    while (this.#liveSlots() < this.#min) this.#free.push(this.#allocate());
    this.#active = true;
    debug('pool %s (%s) active: min %d max %d %dx%d %s', this.#name, this.id, this.#min, this.#max, this.#descriptor.width, this.#descriptor.height, this.#descriptor.format);
  }

  /**
   * Stops handing out leases: every waiting `acquire` rejects with `PoolFlushing`, free slots are
   * freed now and leased ones when they come back.
   */
  deactivate(): void {
    if (!this.#active) return;
    this.#active = false;
    const waiters = this.#waiters.splice(0);
    for (const waiter of waiters) {
      waiter.cleanup();
      waiter.reject(this.#flushingError());
    }
    this.#freeIdleSlots();
    this.#checkDrained();
  }

  /**
   * Takes a free slot, waiting while all `max` slots are leased.
   * @param options - who takes it, and an abort signal
   * @returns the lease; give it back with {@link giveBack}
   * @throws `PoolFlushing` (rejection) when the pool is inactive or gets deactivated while waiting
   */
  acquire(options: AcquireOptions = {}): Promise<PoolLease> {
    const holder = options.holder ?? 'unknown';
    const lease = this.tryAcquire(holder);
    if (lease) return Promise.resolve(lease);
    if (!this.#active) return Promise.reject(this.#flushingError());
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<PoolLease>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        resolve,
        reject,
        holder,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /**
   * Takes a free slot now, or returns undefined when none is free and `max` are allocated (or the
   * pool is inactive). For drop policies that must not wait.
   * @param holder - who takes it
   */
  tryAcquire(holder = 'unknown'): PoolLease | undefined {
    if (!this.#active) return undefined;
    let slot = this.#free.pop();
    if (slot === undefined) {
      if (this.#liveSlots() >= this.#max) return undefined;
      slot = this.#allocate();
    }
    return this.#lease(slot, holder);
  }

  /**
   * Returns a lease. The slot becomes free only after `releasePoint` settles (the consumer's release
   * point); a rejected release point is reported to `onError` and the slot is still returned.
   *
   * @param lease - a lease from this pool, returned once
   * @param releasePoint - resolves when the last user is done with the texture
   * @param onError - receives a rejection of `releasePoint`
   * @throws `InvalidTextureHandle` for a lease of another pool or one already returned
   */
  giveBack(lease: PoolLease, releasePoint?: PromiseLike<unknown>, onError?: (error: unknown) => void): void {
    const state = lease as LeaseState;
    if (lease.pool !== this || !this.#leases.has(state) || state.returned) {
      throw new GeyserError('InvalidTextureHandle', `slot ${lease.slot} was not leased from pool '${this.#name}' or was already returned`);
    }
    state.returned = true;
    if (state.timer !== undefined) clearTimeout(state.timer);
    if (releasePoint === undefined) {
      this.#recycle(state);
      return;
    }
    releasePoint.then(
      () => this.#recycle(state),
      (error: unknown) => {
        onError?.(error);
        this.#recycle(state);
      },
    );
  }

  /** The pool's counters now. */
  counters(): PoolCounters {
    return {
      id: this.id,
      name: this.#name,
      allocations: this.#allocations,
      slots: this.#liveSlots(),
      free: this.#free.length,
      leasesOut: this.#leases.size,
      maxLeasesOut: this.#maxLeasesOut,
      waiting: this.#waiters.length,
      acquires: this.#acquires,
      active: this.#active,
    };
  }

  /** The texture in `slot` (for exporting a slot once at edge setup). */
  slotTexture(slot: number): SharedTexture {
    const texture = this.#slots[slot];
    if (!texture) throw new GeyserError('InvalidTextureHandle', `pool '${this.#name}' has no slot ${slot}`);
    return texture;
  }

  /** Resolves once the pool is inactive and every lease has come back (every slot freed). */
  drained(): Promise<void> {
    if (!this.#active && this.#leases.size === 0) return Promise.resolve();
    this.#drained ??= new Promise<void>((resolve) => {
      this.#resolveDrained = resolve;
    });
    return this.#drained;
  }

  /** Deactivates for good; slots are freed as their leases come back (idempotent). */
  dispose(): void {
    if (this.#disposed) return;
    this.deactivate();
    this.#disposed = true;
    this.#checkDrained();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #allocate(): number {
    // Reuse a hole left by a freed slot of an old descriptor, so slot numbers stay below max.
    let slot = this.#slots.findIndex((texture) => texture === undefined);
    if (slot < 0) slot = this.#slots.length;
    const label = `${this.#name}#${slot}`;
    this.#slots[slot] = this.#manager.createShareableTexture({ ...this.#descriptor, usage: [...this.#descriptor.usage], label });
    this.#slotGeneration[slot] = this.#generation;
    this.#allocations++;
    return slot;
  }

  #liveSlots(): number {
    let count = 0;
    for (const texture of this.#slots) if (texture !== undefined) count++;
    return count;
  }

  #lease(slot: number, holder: string): PoolLease {
    const state: LeaseState = { pool: this, slot, texture: this.#slots[slot]!, holder, returned: false, timer: undefined };
    this.#leases.add(state);
    this.#acquires++;
    if (this.#leases.size > this.#maxLeasesOut) this.#maxLeasesOut = this.#leases.size;
    if (this.#leaseTimeoutMs > 0) {
      state.timer = setTimeout(() => {
        state.timer = undefined;
        const error = new GeyserError('Timeout', `slot ${slot} of pool '${this.#name}' has been held by node '${state.holder}' for more than ${this.#leaseTimeoutMs} ms`);
        debug('%s', error.message);
        this.#onLeaseTimeout?.(error);
      }, this.#leaseTimeoutMs);
      state.timer.unref?.();
    }
    return state;
  }

  #recycle(state: LeaseState): void {
    this.#leases.delete(state);
    const current = this.#slotGeneration[state.slot] === this.#generation;
    const waiter = this.#active && current ? this.#waiters.shift() : undefined;
    if (waiter) {
      waiter.cleanup();
      waiter.resolve(this.#lease(state.slot, waiter.holder));
      return;
    }
    if (this.#active && this.#slotGeneration[state.slot] === this.#generation) this.#free.push(state.slot);
    else this.#freeSlot(state.slot);
    this.#checkDrained();
  }

  #freeIdleSlots(): void {
    for (const slot of this.#free.splice(0)) this.#freeSlot(slot);
  }

  #freeSlot(slot: number): void {
    const texture = this.#slots[slot];
    if (!texture) return;
    delete this.#slots[slot];
    texture.release();
    while (this.#slots.length > 0 && this.#slots[this.#slots.length - 1] === undefined) this.#slots.length--;
  }

  #checkDrained(): void {
    if (this.#active || this.#leases.size > 0) return;
    if (this.#disposed) livePools.delete(this.id);
    this.#resolveDrained?.();
    this.#resolveDrained = undefined;
  }

  #flushingError(): GeyserError {
    return new GeyserError('PoolFlushing', `pool '${this.#name}' is inactive (flushing); acquire refused`);
  }
}

function sameDescriptor(a: ValidatedDescriptor, b: ValidatedDescriptor): boolean {
  return a.width === b.width && a.height === b.height && a.format === b.format && a.usage.join() === b.usage.join();
}
