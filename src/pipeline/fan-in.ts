/**
 * `fanIn`: several sources into one stream of frame sets, for compositing nodes.
 *
 * @module
 */
import { isObservable, type Observable } from 'rxjs';
import { GeyserError } from '../core/errors.js';
import { expectedMessage } from '../core/validate.js';
import { releaseFrames, type Frame } from './frame.js';
import { createSource, isNode, nodeSpec, resolveNodeOptions, type NodeOptions, type SourceNode } from './node.js';

/**
 * Pairs the frames of several sources in arrival order (like RxJS `zip`): emits `[a0, b0]`,
 * `[a1, b1]`, ... to a fan-in node such as a compositor, which owns (and releases) every frame of a
 * set. Completes when any input completes and its queued frames were paired. Queued frames are
 * released at teardown.
 *
 * @example
 * ```ts
 * await pipeline(
 *   fanIn(testPattern({ width: 640, height: 360, frames: 100 }), imageSource({ path: 'logo.png' })),
 *   composite({ layout: 'overlay', x: 16, y: 16 }),
 *   nullSink(),
 * ).done;
 * ```
 * @param inputs - source nodes (or Observables of frames); at least two
 * @returns a source node of frame arrays
 * @throws `InvalidDescriptor` for fewer than two inputs or an input that is not a source
 */
export function fanIn(...inputs: Array<SourceNode<Frame> | Observable<Frame>>): SourceNode<Frame[]> {
  return fanInWith({}, ...inputs);
}

/**
 * {@link fanIn} with node options (a name).
 *
 * @example
 * ```ts
 * fanInWith({ name: 'mixer' }, cameraA, cameraB);
 * ```
 * @param options - see {@link NodeOptions}
 * @param inputs - source nodes; at least two
 * @throws `InvalidDescriptor` for fewer than two inputs or an input that is not a source
 */
export function fanInWith(options: NodeOptions, ...inputs: Array<SourceNode<Frame> | Observable<Frame>>): SourceNode<Frame[]> {
  if (inputs.length < 2) throw new GeyserError('InvalidDescriptor', `fanIn() needs at least two inputs but received ${inputs.length}`);
  inputs.forEach((input, index) => {
    if (!isObservable(input)) throw new GeyserError('InvalidDescriptor', expectedMessage('a source node or an Observable of frames', `fanIn() input ${index}`, input));
  });
  return createSource<Frame[]>(
    'fan-in',
    resolveNodeOptions(options, 'fanIn'),
    (scope, env) =>
      new Promise<void>((resolve, reject) => {
        const queues = inputs.map((): Frame[] => []);
        const done = inputs.map(() => false);
        scope.add(() => queues.forEach((queue) => queue.splice(0).forEach((frame) => frame.release())));
        const check = (): void => {
          while (queues.every((queue) => queue.length > 0)) scope.emit(queues.map((queue) => queue.shift()!));
          if (queues.some((queue, index) => done[index] && queue.length === 0)) resolve();
        };
        inputs.forEach((input, index) => {
          const stream = isNode(input) ? (nodeSpec(input).build(env?.envFor?.(input)) as Observable<Frame>) : input;
          scope.add(
            stream.subscribe({
              next: (frame) => {
                if (scope.closed) return releaseFrames(frame);
                queues[index]!.push(frame);
                check();
              },
              error: reject,
              complete: () => {
                done[index] = true;
                check();
              },
            }),
          );
        });
      }),
    { branches: inputs.map((input) => [input]) },
  );
}
