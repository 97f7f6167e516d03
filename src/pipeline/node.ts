/**
 * The one internal helper every node is written on (after RxJS `operate` +
 * `createOperatorSubscriber`): per-subscription state in closure locals, user callbacks wrapped so a
 * throw becomes an error notification, an input queue with the edge's backpressure policy, input
 * frames released unless emitted, and teardown that runs once, in order, losing no error.
 *
 * @internal
 * @module
 */
import { Observable, type OperatorFunction } from 'rxjs';
import { checkKnownKeys, expectedMessage, isPlainObject, checkIntegerInRange } from '../core/validate.js';
import { GeyserError } from '../core/errors.js';
import { InputQueue, resolveEdgeOptions, type EdgeOptions, type QueueEntry, type ResolvedEdgeOptions } from './backpressure.js';
import { createPipelineContext, type PipelineContext } from './context.js';
import { firstFrame, releaseFrames, type Frame } from './frame.js';
import { NodeMetrics, type MetricsRegistry } from './metrics.js';
import { NodeScope, type NodePoolOptions } from './node-scope.js';
import type { SyncOverride } from './sync-plan.js';

/** The brand that marks a Geyser node and carries its description. */
export const NODE: unique symbol = Symbol.for('geyser.node') as never;

/** What a node is, for the graph. */
export type NodeKind = 'source' | 'filter' | 'sink' | 'segment' | 'fan-out' | 'fan-in';

/** Options every node accepts. */
export interface NodeOptions {
  /** Name in describe(), metrics and errors (default: the node type's name). */
  name?: string;
  /** Backpressure of the edge into this node. */
  input?: EdgeOptions;
  /** The pool this node's own frames come from. */
  pool?: NodePoolOptions;
}

/** Validated {@link NodeOptions}. @internal */
export interface ResolvedNodeOptions {
  name: string;
  input: ResolvedEdgeOptions;
  pool: NodePoolOptions;
}

/** Where a node runs inside a pipeline: its id and the context of its process. @internal */
export interface NodeEnv {
  id: string;
  context: PipelineContext;
  /** The env of a nested stage (fan-out branch, fan-in input), with its graph id. */
  envFor?: (stage: unknown) => NodeEnv;
  /** Where this run's node metrics go (default: the context's registry). */
  metrics?: MetricsRegistry;
  /** The pipeline's `sync` option for cross-process edges. */
  sync?: SyncOverride;
}

/** A node's description and how to build it for one pipeline. @internal */
export interface NodeSpec {
  readonly name: string;
  readonly kind: NodeKind;
  readonly options: ResolvedNodeOptions;
  /** Nested branches (fan-out) or inputs (fan-in), for describe(). */
  readonly branches?: readonly (readonly unknown[])[];
  /** A child-process segment's settings. */
  readonly segment?: unknown;
  /** Builds the Observable (source) or operator (others), bound to `env` when inside a pipeline. */
  build(env: NodeEnv | undefined): Observable<unknown> | OperatorFunction<unknown, unknown>;
}

/** The brand of a Geyser node: its description for the graph. @internal */
export interface NodeBrand {
  readonly [NODE]: NodeSpec;
}

/** A producer: an Observable of frames that `pipeline()` can also describe. */
export type SourceNode<Out = Frame> = Observable<Out> & NodeBrand;

/** A filter or consumer: an RxJS operator that `pipeline()` can also describe. */
export type OperatorNode<In = Frame, Out = Frame> = OperatorFunction<In, Out> & NodeBrand;

/** The handlers a filter or sink returns from its init function. */
export interface NodeHandlers<In> {
  /**
   * Handles one input. May be async: the next input waits in the queue (the edge's backpressure
   * policy applies). Input frames not emitted are released when it returns.
   */
  next(input: In): void | Promise<void>;
  /** Runs once after the last input was handled, before the node completes. */
  complete?(): void | Promise<void>;
}

/** True for a value that is a Geyser node. @internal */
export function isNode(value: unknown): value is SourceNode<unknown> | OperatorNode<unknown, unknown> {
  return (typeof value === 'function' || (typeof value === 'object' && value !== null)) && NODE in (value as object);
}

/** The spec of a node. @internal */
export function nodeSpec(node: { readonly [NODE]: NodeSpec }): NodeSpec {
  return node[NODE];
}

/** Validates the options shared by every node. @internal */
export function resolveNodeOptions(options: unknown, defaultName: string, extraKeys: readonly string[] = []): ResolvedNodeOptions {
  if (options === undefined) options = {};
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', `${defaultName} options`, options));
  checkKnownKeys(options, ['name', 'input', 'pool', ...extraKeys], defaultName);
  const name = options.name ?? defaultName;
  if (typeof name !== 'string' || name === '') throw new GeyserError('InvalidDescriptor', expectedMessage('non-empty string', 'name', name));
  const pool = (options.pool ?? {}) as NodePoolOptions;
  if (!isPlainObject(pool)) throw new TypeError(expectedMessage('an options object', `${name}.pool`, pool));
  checkKnownKeys(pool, ['min', 'max', 'leaseTimeoutMs'], `${name}.pool`);
  if (pool.max !== undefined) checkIntegerInRange(pool.max, `${name}.pool.max`, 1, 64);
  if (pool.min !== undefined) checkIntegerInRange(pool.min, `${name}.pool.min`, 0, (pool.max as number | undefined) ?? 64);
  if (pool.leaseTimeoutMs !== undefined) checkIntegerInRange(pool.leaseTimeoutMs, `${name}.pool.leaseTimeoutMs`, 0, 2 ** 31 - 1);
  return { name, input: resolveEdgeOptions(options.input, `${name}.input`), pool };
}

/** Attaches a spec to an Observable or operator. @internal */
export function brand<T extends object>(target: T, spec: NodeSpec): T & { readonly [NODE]: NodeSpec } {
  Object.defineProperty(target, NODE, { value: spec, enumerable: false });
  return target as T & { readonly [NODE]: NodeSpec };
}

function metricsFor(env: NodeEnv | undefined, name: string, scope: () => PipelineContext | undefined): () => NodeMetrics {
  let metrics: NodeMetrics | undefined;
  return () => {
    if (metrics) return metrics;
    const context = env?.context ?? scope();
    const registry = env?.metrics ?? context?.metrics;
    metrics = registry ? registry.node(env?.id ?? name, name) : new NodeMetrics(name, name);
    return metrics;
  };
}

/**
 * Makes a source node: `run(scope)` is called once per subscription with the context bound; when
 * its promise resolves the source completes, when it rejects (or throws) the source errors.
 * @internal
 */
export function createSource<Out>(kind: NodeKind, options: ResolvedNodeOptions, run: (scope: NodeScope<Out>, env: NodeEnv | undefined) => void | Promise<void>, extra: Partial<NodeSpec> = {}): SourceNode<Out> {
  const build = (env: NodeEnv | undefined): Observable<Out> =>
    new Observable<Out>((subscriber) => {
      let context: PipelineContext | undefined = env?.context;
      const scope = new NodeScope<Out>(options.name, subscriber, metricsFor(env, options.name, () => context), options.pool, context);
      const start = async (): Promise<void> => {
        if (!context) {
          // Outside pipeline(): the source opens its own context and closes it once its frames drained.
          const own = await createPipelineContext();
          context = own;
          scope.add(() => void own.disposeWhenDrained());
        }
        if (scope.closed) return;
        scope.bindContext(context);
        await run(scope, env);
        scope.complete();
      };
      start().catch((error: unknown) => scope.error(error));
      return () => {
        for (const error of scope.teardown()) context?.reportError(error);
      };
    });
  const spec: NodeSpec = { name: options.name, kind, options, ...extra, build: build as NodeSpec['build'] };
  return brand(new Observable<Out>((subscriber) => build(undefined).subscribe(subscriber)), spec) as SourceNode<Out>;
}

/**
 * Makes a filter or sink node: `init(scope)` runs once per subscription (inside a pipeline at
 * subscribe; under plain `.pipe()` when the first input arrives, which brings the context) and
 * returns the handlers.
 * @internal
 */
export function createOperator<In, Out>(kind: NodeKind, options: ResolvedNodeOptions, init: (scope: NodeScope<Out>, env: NodeEnv | undefined) => NodeHandlers<In>, extra: Partial<NodeSpec> = {}): OperatorNode<In, Out> {
  const build =
    (env: NodeEnv | undefined): OperatorFunction<In, Out> =>
    (source) =>
      new Observable<Out>((subscriber) => {
        let context = env?.context;
        const metrics = metricsFor(env, options.name, () => context);
        const scope = new NodeScope<Out>(options.name, subscriber, metrics, options.pool, context);
        const queue = new InputQueue<In>(options.input);
        let handlers: NodeHandlers<In> | undefined;
        let busy = false;
        let upstreamDone = false;
        let current: QueueEntry<In> | undefined;

        const ensureHandlers = (item: In): boolean => {
          if (handlers) return true;
          if (!context) {
            context = firstFrame(item)?.context;
            if (!context) {
              scope.error(new GeyserError('Other', `node '${options.name}' received a value that is not a frame and has no pipeline context`));
              return false;
            }
            scope.bindContext(context);
          }
          try {
            handlers = init(scope, env);
          } catch (error) {
            scope.error(error);
            return false;
          }
          return !scope.closed;
        };

        const finishAll = (): void => {
          if (scope.closed) return;
          let result: void | Promise<void>;
          try {
            result = handlers?.complete?.();
          } catch (error) {
            scope.error(error);
            return;
          }
          if (result && typeof result.then === 'function') result.then(() => scope.complete(), (error: unknown) => scope.error(error));
          else scope.complete();
        };

        const finish = (entry: QueueEntry<In>): void => {
          current = undefined;
          if (!scope.endInput()) releaseFrames(entry.item);
          metrics().recordHandled(entry.at);
          busy = false;
          if (scope.closed) return;
          const nextEntry = queue.shift();
          metrics().queued = queue.length;
          if (nextEntry) handle(nextEntry);
          else if (upstreamDone) finishAll();
        };

        const handle = (entry: QueueEntry<In>): void => {
          busy = true;
          current = entry;
          const frame = firstFrame(entry.item);
          if (frame && !frame.released) frame.holder = options.name;
          scope.beginInput(entry.item);
          let result: void | Promise<void>;
          try {
            result = handlers!.next(entry.item);
          } catch (error) {
            finish(entry);
            scope.error(error);
            return;
          }
          if (result && typeof result.then === 'function') {
            result.then(
              () => finish(entry),
              (error: unknown) => {
                finish(entry);
                scope.error(error);
              },
            );
          } else {
            finish(entry);
          }
        };

        const subscription = source.subscribe({
          next: (item) => {
            metrics().framesIn++;
            if (scope.closed || !ensureHandlers(item)) {
              releaseFrames(item);
              return;
            }
            const entry: QueueEntry<In> = { item, at: performance.now() };
            if (!busy) {
              handle(entry);
              return;
            }
            const dropped = queue.push(entry);
            metrics().queued = queue.length;
            if (dropped) {
              metrics().dropped++;
              releaseFrames(dropped.item);
            }
          },
          error: (error: unknown) => scope.error(error),
          complete: () => {
            upstreamDone = true;
            if (!busy && queue.length === 0) {
              if (!handlers && !scope.closed) {
                scope.complete();
                return;
              }
              finishAll();
            }
          },
        });
        // Teardown order: stop the input first, then drop what is queued, then the node's resources.
        scope.beforeTeardown(() => subscription.unsubscribe());
        scope.beforeTeardown(() => {
          for (const entry of queue.drain()) releaseFrames(entry.item);
          // An input whose handler is still running is abandoned with the node (release is per
          // reference and idempotent, so the handler finishing later changes nothing).
          if (current && !scope.inputMoved) releaseFrames(current.item);
        });
        return () => {
          for (const error of scope.teardown()) context?.reportError(error);
        };
      });
  const spec: NodeSpec = { name: options.name, kind, options, ...extra, build: build as NodeSpec['build'] };
  const operator = (source: Observable<In>): Observable<Out> => build(undefined)(source);
  return brand(operator, spec) as OperatorNode<In, Out>;
}
