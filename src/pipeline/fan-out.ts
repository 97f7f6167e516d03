/**
 * `fanOut`: one frame to several branches, released when the last branch is done with it.
 *
 * @module
 */
import { isObservable, merge, Subject, type Observable, type OperatorFunction } from 'rxjs';
import { GeyserError } from '../core/errors.js';
import { expectedMessage } from '../core/validate.js';
import type { Frame } from './frame.js';
import { createOperator, isNode, nodeSpec, resolveNodeOptions, type NodeEnv, type NodeOptions, type OperatorNode } from './node.js';

/** Builds one stage of a branch (a node bound to its env, or a plain operator). @internal */
export function buildBranchStage(stage: unknown, env: NodeEnv | undefined, what: string): OperatorFunction<unknown, unknown> {
  if (isNode(stage)) {
    const built = nodeSpec(stage).build(env?.envFor?.(stage));
    if (isObservable(built)) throw new GeyserError('InvalidDescriptor', `${what}: source node '${nodeSpec(stage).name}' cannot be inside a branch`);
    return built;
  }
  if (typeof stage === 'function') return stage as OperatorFunction<unknown, unknown>;
  throw new GeyserError('InvalidDescriptor', expectedMessage('a node or an RxJS operator', what, stage));
}

/** A branch: nodes or RxJS operators applied in order. */
export type Branch = ReadonlyArray<OperatorNode<any, any> | OperatorFunction<any, any>>;

/**
 * Sends every frame to each branch (a list of nodes, like a small pipeline). Each branch gets its
 * own reference to the frame (ref-counted lease), so the texture's slot returns to its pool only
 * when the last branch released it. Emits what the branches emit (merged); completes when all do.
 *
 * @example
 * ```ts
 * await pipeline(
 *   testPattern({ width: 1280, height: 720, frames: 300 }),
 *   fanOut([encode({ output: 'out.mp4' })], [preview({ port: 8080 })]),
 * ).done;
 * ```
 * @param branches - each an array of nodes/operators applied to the shared frames
 * @returns an operator node
 * @throws `InvalidDescriptor` for an empty branch list or a bad stage
 */
export function fanOut(...branches: Branch[]): OperatorNode<Frame, unknown> {
  return fanOutWith({}, ...branches);
}

/**
 * {@link fanOut} with node options (a name, the input edge's backpressure).
 *
 * @example
 * ```ts
 * fanOutWith({ name: 'split' }, [nullSink()], [hashSink()]);
 * ```
 * @param options - see {@link NodeOptions}
 * @param branches - each an array of nodes/operators
 * @throws `InvalidDescriptor` for an empty branch list or a bad stage
 */
export function fanOutWith(options: NodeOptions, ...branches: Branch[]): OperatorNode<Frame, unknown> {
  if (branches.length === 0) throw new GeyserError('InvalidDescriptor', 'fanOut() needs at least one branch');
  branches.forEach((branch, index) => {
    if (!Array.isArray(branch) || branch.length === 0) throw new GeyserError('InvalidDescriptor', expectedMessage('a non-empty array of nodes', `fanOut() branch ${index}`, branch));
  });
  return createOperator<Frame, unknown>(
    'fan-out',
    resolveNodeOptions(options, 'fanOut'),
    (scope, env) => {
      const inputs = branches.map(() => new Subject<Frame>());
      const outputs = branches.map((branch, index) =>
        branch.reduce<Observable<unknown>>((stream, stage) => buildBranchStage(stage, env, `fanOut() branch ${index}`)(stream), inputs[index]!),
      );
      let settle: { resolve(): void; reject(error: unknown): void } | undefined;
      let finished = false;
      let failure: unknown;
      scope.add(
        merge(...outputs).subscribe({
          next: (value) => scope.emit(value),
          error: (error: unknown) => {
            finished = true;
            failure = error;
            if (settle) settle.reject(error);
            else scope.error(error);
          },
          complete: () => {
            finished = true;
            settle?.resolve();
          },
        }),
      );
      scope.add(() => inputs.forEach((input) => input.complete()));
      return {
        next(frame) {
          // One reference per branch; the helper releases the input's own reference afterwards.
          for (const input of inputs) input.next(frame.retain());
        },
        complete() {
          for (const input of inputs) input.complete();
          if (finished) return failure === undefined ? undefined : Promise.reject(failure);
          return new Promise<void>((resolve, reject) => {
            settle = { resolve, reject };
          });
        },
      };
    },
    { branches },
  );
}
