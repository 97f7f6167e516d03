/**
 * The node-author API: `defineSource`, `defineFilter`, `defineSink`. Each is a few lines on top of
 * the one internal node helper.
 *
 * @module
 */
import type { Frame } from './frame.js';
import { createOperator, createSource, resolveNodeOptions, type NodeHandlers, type NodeOptions, type OperatorNode, type SourceNode } from './node.js';
import type { NodeScope } from './node-scope.js';

/**
 * Defines a producer. `run(scope)` is called once per subscription; acquire frames with
 * `scope.acquireFrame` (it waits while the pool is exhausted: backpressure), fill them, and
 * `scope.emit` them. The source completes when `run`'s promise resolves and errors if it rejects.
 * Stop early when `scope.closed` turns true (the pipeline was stopped).
 *
 * @example
 * ```ts
 * const ramp = (frames: number) =>
 *   defineSource('ramp', async (scope) => {
 *     for (let i = 0; i < frames && !scope.closed; i++) {
 *       const frame = await scope.acquireFrame({ width: 64, height: 64, format: 'rgba8unorm' });
 *       scope.context.manager.writeTexture(frame.texture, new Uint8Array(64 * 64 * 4).fill(i));
 *       scope.emit(frame);
 *     }
 *   });
 * await pipeline(ramp(100), nullSink()).done;
 * ```
 * @param name - the node's default name (unique names make describe() readable)
 * @param run - the producer's body, once per subscription
 * @param options - name, output pool settings; see {@link NodeOptions}
 * @returns a source node: an Observable of frames
 * @throws `TypeError` for an unknown option; `InvalidDescriptor` for a bad value
 */
export function defineSource<Out = Frame>(name: string, run: (scope: NodeScope<Out>) => void | Promise<void>, options?: NodeOptions): SourceNode<Out> {
  return createSource<Out>('source', resolveNodeOptions(options, name), run);
}

/**
 * Defines a filter: `init(scope)` runs once per subscription and returns `{ next, complete? }`.
 * State kept in closure locals of `init` is per subscription. `next` may be async; inputs arriving
 * meanwhile wait under the edge's backpressure policy (`options.input`). An input frame that `next`
 * does not emit is released when `next` returns; a throw or rejection ends the node with that error.
 *
 * @example
 * ```ts
 * const tag = (label: string) =>
 *   defineFilter('tag', (scope) => ({
 *     next(frame) {
 *       scope.emit(frame.with({ metadata: { label } }));
 *     },
 *   }));
 * ```
 * @param name - the node's default name
 * @param init - returns the handlers, once per subscription
 * @param options - name, input backpressure, output pool; see {@link NodeOptions}
 * @returns an operator node
 * @throws `TypeError` for an unknown option; `InvalidDescriptor` for a bad value
 */
export function defineFilter<In = Frame, Out = Frame>(name: string, init: (scope: NodeScope<Out>) => NodeHandlers<In>, options?: NodeOptions): OperatorNode<In, Out> {
  return createOperator<In, Out>('filter', resolveNodeOptions(options, name), init);
}

/**
 * Defines a consumer: like {@link defineFilter}, but it emits nothing; the pipeline completes when
 * every sink completed. Input frames are released when `next` returns.
 *
 * @example
 * ```ts
 * const logSink = () =>
 *   defineSink('log', (scope) => ({
 *     next(frame) {
 *       console.log(`frame ${frame.seq} at ${frame.pts} us`);
 *     },
 *   }));
 * ```
 * @param name - the node's default name
 * @param init - returns the handlers, once per subscription
 * @param options - name, input backpressure; see {@link NodeOptions}
 * @returns an operator node that emits nothing
 * @throws `TypeError` for an unknown option; `InvalidDescriptor` for a bad value
 */
export function defineSink<In = Frame>(name: string, init: (scope: NodeScope<never>) => NodeHandlers<In>, options?: NodeOptions): OperatorNode<In, never> {
  return createOperator<In, never>('sink', resolveNodeOptions(options, name), init);
}
