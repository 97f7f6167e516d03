/**
 * `PipelineContext`: what nodes share within one process — the texture-share manager, the pools,
 * metrics and the place teardown errors go.
 *
 * @module
 */
import { Subject, type Observable } from 'rxjs';
import { GeyserError } from '../core/errors.js';
import { createTextureShareManager } from '../core/manager.js';
import type { BackendChoice, BackendName, Capabilities, TextureShareManager } from '../core/types.js';
import { checkKnownKeys, expectedMessage, isPlainObject } from '../core/validate.js';
import { MetricsRegistry } from './metrics.js';
import { TexturePool, type TexturePoolOptions } from './texture-pool.js';

/** Options of {@link createPipelineContext}. */
export interface PipelineContextOptions {
  /** Backend to open when no `manager` is given (default `'auto'`). */
  backend?: BackendChoice;
  /** Use this manager instead of opening one; the context then does not dispose it. */
  manager?: TextureShareManager;
}

/**
 * The shared state of the nodes of one pipeline in one process: the texture-share manager, the
 * texture pools, metrics, and the error channel for teardown failures. `pipeline()` makes one for
 * you; make your own with {@link createPipelineContext} to share a manager, or to use nodes with
 * plain RxJS `.pipe()`.
 *
 * @example
 * ```ts
 * const context = await createPipelineContext({ backend: 'host' });
 * const run = pipeline(testPattern({ width: 64, height: 64, frames: 10 }), nullSink(), { context });
 * await run.done;
 * context.dispose();
 * ```
 */
export class PipelineContext implements Disposable {
  /** The texture-share manager every node of this process uses. */
  readonly manager: TextureShareManager;
  /** @internal */
  readonly metrics = new MetricsRegistry();
  readonly #ownsManager: boolean;
  readonly #pools = new Set<TexturePool>();
  readonly #errors = new Subject<unknown>();
  readonly #pending = new Set<Promise<unknown>>();
  #capabilities: Capabilities | undefined;
  #disposed = false;

  /** @internal use {@link createPipelineContext} */
  constructor(manager: TextureShareManager, ownsManager: boolean) {
    this.manager = manager;
    this.#ownsManager = ownsManager;
  }

  /** The backend's name. */
  get backend(): BackendName {
    return this.manager.backend;
  }

  /** True once {@link dispose} ran. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** The manager's capabilities (read once). */
  capabilities(): Capabilities {
    this.#capabilities ??= this.manager.capabilities();
    return this.#capabilities;
  }

  /**
   * Errors raised where no subscriber can take them (finalizers after complete, late release
   * points). `pipeline()` folds them into `run.done`.
   */
  get errors$(): Observable<unknown> {
    return this.#errors.asObservable();
  }

  /**
   * Creates and activates a pool on this context's manager; the context disposes it on dispose.
   * @param options - see {@link TexturePoolOptions}
   * @throws `Released` after dispose; `InvalidDescriptor` for bad options
   */
  createPool(options: TexturePoolOptions): TexturePool {
    this.#assertOpen();
    const pool = new TexturePool(this.manager, {
      ...options,
      onLeaseTimeout: options.onLeaseTimeout ?? ((error) => this.reportError(error)),
    });
    this.#pools.add(pool);
    pool.activate();
    return pool;
  }

  /** Forgets a pool once it drained, after its owner disposed it. @internal */
  retirePool(pool: TexturePool): void {
    pool.dispose();
    void pool.drained().then(() => this.#pools.delete(pool));
  }

  /** Counters of every pool in this process. */
  poolCounters(): ReturnType<TexturePool['counters']>[] {
    return [...this.#pools].map((pool) => pool.counters());
  }

  /** Reports an error no subscriber can take. @internal */
  reportError(error: unknown): void {
    this.#errors.next(error);
  }

  /** Tracks asynchronous teardown (a child process stopping) so `settled()` can wait for it. @internal */
  trackPending(promise: Promise<unknown>): void {
    const tracked: Promise<unknown> = promise.then(
      (): void => {
        this.#pending.delete(tracked);
      },
      (error: unknown): void => {
        this.#pending.delete(tracked);
        this.reportError(error);
      },
    );
    this.#pending.add(tracked);
  }

  /** Resolves once every tracked asynchronous teardown finished. @internal */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /**
   * Disposes the context once every pool was retired and drained and every pending teardown
   * finished (for a context a source opened by itself). @internal
   */
  async disposeWhenDrained(): Promise<void> {
    await this.settled();
    await Promise.all([...this.#pools].map((pool) => pool.drained()));
    this.dispose();
  }

  /**
   * Disposes every pool (their textures are freed as leases return) and, if the context opened
   * it, the manager (idempotent).
   * @throws the manager's dispose error
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const pool of this.#pools) pool.dispose();
    this.#pools.clear();
    this.#errors.complete();
    if (this.#ownsManager) this.manager.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  #assertOpen(): void {
    if (this.#disposed) throw new GeyserError('Released', 'the pipeline context has been disposed');
  }
}

/**
 * Opens a pipeline context: a texture-share manager (or the one given) plus pools and metrics.
 *
 * @example
 * ```ts
 * const context = await createPipelineContext({ backend: 'host' });
 * console.log(context.backend); // 'host'
 * context.dispose();
 * ```
 * @param options - `backend` (default `'auto'`) or an existing `manager`
 * @throws `BackendUnavailable` when the backend cannot open; `TypeError` for an unknown option
 */
export async function createPipelineContext(options: PipelineContextOptions = {}): Promise<PipelineContext> {
  if (!isPlainObject(options as unknown)) throw new TypeError(expectedMessage('an options object', 'options', options));
  checkKnownKeys(options, ['backend', 'manager'], 'createPipelineContext');
  if (options.manager !== undefined) return new PipelineContext(options.manager, false);
  const manager = await createTextureShareManager(options.backend === undefined ? {} : { backend: options.backend });
  return new PipelineContext(manager, true);
}
