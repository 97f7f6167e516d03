/**
 * `pipeline()`: composes a source and nodes into a running pipeline, with sync chosen per edge,
 * child processes for `inChildProcess` segments, metrics and a description of the graph.
 *
 * @module
 */
import { isObservable, Observable, Subscription, type OperatorFunction } from 'rxjs';
import { debuglog } from 'node:util';
import { GeyserError } from '../core/errors.js';
import type { BackendChoice } from '../core/types.js';
import { checkIntegerInRange, checkKnownKeys, expectedMessage, isPlainObject } from '../core/validate.js';
import { buildChildChain } from './child-chain.js';
import { createPipelineContext, type PipelineContext } from './context.js';
import { releaseFrames } from './frame.js';
import { planPipeline, toDot, type PipelineDescription, type PipelinePlan, type PlannedNode } from './graph.js';
import { MetricsRegistry, type MetricsSnapshot } from './metrics.js';
import { isNode, nodeSpec, type NodeEnv, type OperatorNode, type SourceNode } from './node.js';
import { combineErrors } from './teardown.js';
import type { SyncOverride } from './sync-plan.js';

const SYNC_OVERRIDES: readonly SyncOverride[] = ['auto', 'timeline-semaphore', 'fence-wait', 'message-order'];

const debug = debuglog('geyser');

/** Options of {@link pipeline}, given as the last argument. */
export interface PipelineOptions {
  /** Run in this context (its manager and pools); otherwise one is opened and disposed at the end. */
  context?: PipelineContext;
  /** Backend for the context opened for the run (default `'auto'`). */
  backend?: BackendChoice;
  /** How often `metrics$` emits, ms (default 1000, range 10..3600000). */
  metricsIntervalMs?: number;
  /**
   * Force the sync primitive of cross-process edges instead of the automatic choice (default
   * `'auto'`), e.g. timeline semaphores on the host backend to compare them with message order.
   * Refused (`OperationNotSupported`) where the backend cannot do it.
   */
  sync?: SyncOverride;
}

/** A stage of a pipeline: a Geyser node, or any RxJS operator over frames. */
export type PipelineStage = OperatorNode<any, any> | OperatorFunction<any, any>;

/**
 * A running pipeline: `done` settles when it ends, `stop()` ends it early, `describe()` shows the
 * graph with the sync primitive of each edge, `metrics$` reports per-node rates.
 *
 * @example
 * ```ts
 * const run = pipeline(testPattern({ width: 1280, height: 720, frames: 300 }), nullSink());
 * await run.ready;
 * console.table(run.describe().edges);
 * run.metrics$.subscribe((m) => console.log(m.nodes.map((n) => `${n.name} ${n.fps.toFixed(0)} fps`).join(' | ')));
 * await run.done;
 * ```
 */
export class PipelineRun implements AsyncDisposable {
  /** Resolves when the graph is built and running (children spawned and connected). */
  readonly ready: Promise<void>;
  /** Resolves when every sink completed (or after `stop()`); rejects with the pipeline's error. */
  readonly done: Promise<void>;
  /** Per-node fps, latency, drops and pool occupancy every `metricsIntervalMs`; completes at the end. */
  readonly metrics$: Observable<MetricsSnapshot>;
  #context: PipelineContext | undefined;
  readonly #metrics = new MetricsRegistry();
  #plan: PipelinePlan | undefined;
  #subscription: Subscription | undefined;
  #stopRequested = false;
  #stop: (() => void) | undefined;

  /** @internal use {@link pipeline} */
  constructor(stages: readonly unknown[], options: PipelineOptions) {
    let markReady!: () => void;
    let failReady!: (error: unknown) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    this.ready.catch(() => undefined);
    this.done = this.#run(stages, options, markReady, failReady);
    this.done.catch(() => undefined);
    const interval = options.metricsIntervalMs ?? 1000;
    this.metrics$ = new Observable<MetricsSnapshot>((subscriber) => {
      const timer = setInterval(() => {
        if (this.#context) subscriber.next(this.metricsSnapshot());
      }, interval);
      timer.unref();
      void this.done
        .catch(() => undefined)
        .then(() => {
          clearInterval(timer);
          if (this.#context) subscriber.next(this.metricsSnapshot());
          subscriber.complete();
        });
      return () => clearInterval(timer);
    });
  }

  /**
   * The figures now: per node (fps and latency since the previous snapshot), per pool.
   * @throws `Other` before the pipeline is ready
   */
  metricsSnapshot(): MetricsSnapshot {
    const context = this.#requireContext();
    return this.#metrics.snapshot(context.poolCounters());
  }

  /**
   * Each node (with the process it runs in) and each edge with the sync primitive chosen, whether it
   * is degraded, and why.
   * @throws `Other` before `ready` resolved
   */
  describe(): PipelineDescription {
    const context = this.#requireContext();
    const caps = context.capabilities();
    return {
      backend: caps.backend,
      device: caps.device.name,
      nodes: this.#plan!.nodes.map(({ id, name, kind, process }) => ({ id, name, kind, process })),
      edges: this.#plan!.edges.map((edge) => ({ ...edge })),
    };
  }

  /**
   * The graph as Graphviz DOT (`dot -Tsvg`): one cluster per process, edges labelled with their sync
   * primitive, degraded ones dashed red.
   * @throws `Other` before `ready` resolved
   */
  describeDot(): string {
    return toDot(this.describe());
  }

  /** Stops the pipeline (every node torn down, children stopped) and waits for `done`. */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#stop?.();
    await this.done.catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #requireContext(): PipelineContext {
    if (!this.#context || !this.#plan) throw new GeyserError('Other', 'the pipeline is not ready yet; await run.ready first');
    return this.#context;
  }

  async #run(stages: readonly unknown[], options: PipelineOptions, markReady: () => void, failReady: (error: unknown) => void): Promise<void> {
    let context: PipelineContext;
    try {
      context = options.context ?? (await createPipelineContext(options.backend === undefined ? {} : { backend: options.backend }));
    } catch (error) {
      failReady(error);
      throw error;
    }
    const ownsContext = options.context === undefined;
    this.#context = context;
    const errors: unknown[] = [];
    // An error no subscriber could take (a lease held too long, a finalizer failing late) ends the run.
    const errorSubscription = context.errors$.subscribe((error) => {
      errors.push(error);
      this.#stop?.();
    });
    try {
      const plan = planPipeline(stages, context.capabilities(), options.sync);
      this.#plan = plan;
      for (const edge of plan.edges) {
        if (!edge.degraded) continue;
        process.emitWarning(`edge ${edge.from} -> ${edge.to} uses ${edge.primitive}: ${edge.reason}`, { code: 'GEYSER_SYNC_DEGRADED', type: 'GeyserWarning' });
      }
      debug('pipeline: %d nodes, %d edges on %s', plan.nodes.length, plan.edges.length, context.backend);
      const output = composePlan(plan, context, this.#metrics, options.sync ?? 'auto');
      if (this.#stopRequested) {
        markReady();
        return;
      }
      await new Promise<void>((resolve, reject) => {
        this.#stop = () => {
          this.#subscription?.unsubscribe();
          resolve();
        };
        this.#subscription = output.subscribe({
          next: (value) => releaseFrames(value), // frames reaching the end of a sinkless chain
          error: reject,
          complete: resolve,
        });
        markReady();
      });
    } catch (error) {
      errors.unshift(error);
      failReady(error);
    } finally {
      this.#subscription?.unsubscribe();
      await context.settled();
      errorSubscription.unsubscribe();
      if (ownsContext) {
        // The context (and its manager) goes once every frame is back. A frame the caller kept
        // past the end must not hold `done` hostage: after a short wait the context is disposed in
        // the background, when the caller releases it.
        const disposal = context.disposeWhenDrained();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const later = new Promise<'later'>((resolve) => {
          timer = setTimeout(() => resolve('later'), 1000);
          timer.unref();
        });
        try {
          if ((await Promise.race([disposal, later])) === 'later') {
            debug('pipeline done with frames still held by the caller; the context is disposed once they are released');
            disposal.catch((error: unknown) => process.emitWarning(error as Error, { code: 'GEYSER_TEARDOWN_ERROR' }));
          }
        } catch (error) {
          errors.push(error);
        } finally {
          clearTimeout(timer);
        }
      }
    }
    const error = combineErrors(errors, 'in the pipeline');
    if (error !== undefined) throw error;
  }
}

/** Builds the Observable of the whole plan, grouping consecutive child segments into one chain. */
function composePlan(plan: PipelinePlan, context: PipelineContext, metrics: MetricsRegistry, sync: SyncOverride): Observable<unknown> {
  const nodes = plan.nodes.filter((node) => node.topLevel);
  if (nodes.length === 0) throw new GeyserError('InvalidDescriptor', 'pipeline() needs at least a source');
  let index = 0;
  let output: Observable<unknown> | undefined;
  while (index < nodes.length) {
    const node = nodes[index]!;
    if (node.spec?.kind === 'segment') {
      const chain: PlannedNode[] = [];
      while (index < nodes.length && nodes[index]!.spec?.kind === 'segment') chain.push(nodes[index++]!);
      output = buildChildChain(
        chain.map((planned) => ({ spec: planned.spec!, env: envFor(plan, context, planned.id, metrics, sync) })),
        context,
        output,
        metrics,
      );
      continue;
    }
    output = applyStage(node, context, output, plan, metrics, sync);
    index++;
  }
  return output!;
}

/** The env a node is built with: its id, the context, and the ids of nested stages. */
export function envFor(plan: PipelinePlan, context: PipelineContext, id: string, metrics: MetricsRegistry, sync: SyncOverride): NodeEnv {
  const ids = new Map<unknown, string>(plan.nodes.filter((node) => !node.topLevel).map((node) => [node.stage, node.id]));
  const make = (nodeId: string): NodeEnv => ({ id: nodeId, context, metrics, sync, envFor: (stage) => make(ids.get(stage) ?? (isNode(stage) ? nodeSpec(stage).name : 'operator')) });
  return make(id);
}

function applyStage(node: PlannedNode, context: PipelineContext, input: Observable<unknown> | undefined, plan: PipelinePlan, metrics: MetricsRegistry, sync: SyncOverride): Observable<unknown> {
  const env = envFor(plan, context, node.id, metrics, sync);
  if (input === undefined) {
    if (node.spec) {
      const built = node.spec.build(env);
      if (!isObservable(built)) throw new GeyserError('InvalidDescriptor', `pipeline() must start with a source, but node '${node.name}' is a ${node.kind}`);
      return built;
    }
    if (isObservable(node.stage)) return node.stage;
    throw new GeyserError('InvalidDescriptor', expectedMessage('a source node or an Observable of frames', 'pipeline() stage 0', node.stage));
  }
  if (node.spec) {
    const built = node.spec.build(env);
    if (isObservable(built)) throw new GeyserError('InvalidDescriptor', `source node '${node.name}' can only be the first stage of a pipeline`);
    return built(input);
  }
  if (typeof node.stage === 'function') return (node.stage as OperatorFunction<unknown, unknown>)(input);
  throw new GeyserError('InvalidDescriptor', expectedMessage('a node or an RxJS operator', `pipeline() stage ${node.id.slice(1)}`, node.stage));
}

function isOptions(value: unknown): value is PipelineOptions {
  return isPlainObject(value) && !isNode(value) && !isObservable(value);
}

/**
 * Runs a pipeline: a source, then filters and sinks (Geyser nodes or RxJS operators over frames),
 * optionally followed by options. Sync is inserted on every edge by itself (see `describe()`),
 * `inChildProcess` segments run in their own processes, and frames cross process boundaries as
 * pooled shared textures.
 *
 * @example
 * ```ts
 * const run = pipeline(
 *   testPattern({ width: 1920, height: 1080, fps: 60, frames: 600 }),
 *   inChildProcess(new URL('./denoise.js', import.meta.url)),
 *   grayscale(),
 *   encode({ output: 'out.mp4', codec: 'libx264' }),
 *   { backend: 'host' },
 * );
 * run.metrics$.subscribe(printStatusLine);
 * await run.done;
 * ```
 * @param stages - a source node (or Observable of frames), then operators; options last
 * @returns the running pipeline
 * @throws `InvalidDescriptor` (synchronously) for a stage that is not a node or operator, or bad options
 */
export function pipeline(source: SourceNode<any> | OperatorNode<any, any> | Observable<any>, ...stages: Array<PipelineStage | PipelineOptions>): PipelineRun {
  const all: unknown[] = [source, ...stages];
  let options: PipelineOptions = {};
  if (all.length > 1 && isOptions(all[all.length - 1])) options = all.pop() as PipelineOptions;
  checkKnownKeys(options, ['context', 'backend', 'metricsIntervalMs', 'sync'], 'pipeline');
  if (options.sync !== undefined && !SYNC_OVERRIDES.includes(options.sync)) {
    throw new GeyserError('InvalidDescriptor', expectedMessage(`one of ${SYNC_OVERRIDES.join(', ')}`, 'sync', options.sync));
  }
  if (options.metricsIntervalMs !== undefined) checkIntegerInRange(options.metricsIntervalMs, 'metricsIntervalMs', 10, 3_600_000);
  if (!isNode(all[0]) && !isObservable(all[0])) {
    throw new GeyserError('InvalidDescriptor', expectedMessage('a source node or an Observable of frames', 'pipeline() stage 0', all[0]));
  }
  all.forEach((stage, index) => {
    if (isNode(stage) || isObservable(stage) || typeof stage === 'function') return;
    throw new GeyserError('InvalidDescriptor', expectedMessage('a node or an RxJS operator', `pipeline() stage ${index}`, stage));
  });
  if (isNode(all[0]) && nodeSpec(all[0]).kind !== 'source' && nodeSpec(all[0]).kind !== 'segment' && nodeSpec(all[0]).kind !== 'fan-in') {
    throw new GeyserError('InvalidDescriptor', `pipeline() must start with a source, but node '${nodeSpec(all[0]).name}' is a ${nodeSpec(all[0]).kind}`);
  }
  return new PipelineRun(all, options);
}
