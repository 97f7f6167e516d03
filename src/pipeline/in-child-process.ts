/**
 * `inChildProcess`: marks a segment of the pipeline to run in its own OS process.
 *
 * @module
 */
import { isObservable, type Observable, type OperatorFunction } from 'rxjs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { GeyserError } from '../core/errors.js';
import { checkIntegerInRange, checkKnownKeys, expectedMessage, isPlainObject } from '../core/validate.js';
import { buildChildChain } from './child-chain.js';
import type { Frame } from './frame.js';
import { brand, resolveNodeOptions, type NodeEnv, type NodeSpec, type OperatorNode, type ResolvedNodeOptions } from './node.js';

/** What to do when a child segment exits or crashes mid-stream. */
export type FailurePolicy = 'error' | 'restart';

/** Options of {@link inChildProcess}. */
export interface ChildProcessOptions {
  /** Name in describe(), metrics and errors (default: the module's file name). */
  name?: string;
  /** Passed to the module's default factory. Must be JSON. */
  options?: unknown;
  /** `'error'` (default): the pipeline fails with `NodeFailed`; `'restart'`: the segment is respawned. */
  onFailure?: FailurePolicy;
  /** Restarts allowed before failing anyway (default 3, range 0..100). */
  maxRestarts?: number;
  /** ms between SIGTERM and SIGKILL when stopping the child (default 2000). */
  killGraceMs?: number;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** Backpressure of the edge into the segment (see {@link EdgeOptions}). */
  input?: NodeOptionsInput;
}

type NodeOptionsInput = import('./backpressure.js').EdgeOptions;

/** A child segment's settings, validated. @internal */
export interface SegmentSettings {
  moduleUrl: string;
  factoryOptions: unknown;
  onFailure: FailurePolicy;
  maxRestarts: number;
  killGraceMs: number;
  env: Record<string, string>;
  node: ResolvedNodeOptions;
}

/**
 * Runs a segment of the pipeline in its own process. The module's default export is a factory
 * `(options) => node` returning a Geyser node (a source, filter or sink) built with
 * `defineSource`/`defineFilter`/`defineSink` or any node of the library. Geyser spawns
 * `process.execPath` on its child runner, connects with a ShareChannel, exports each pool slot once
 * and then sends only `{slot, seq, pts, acquire}` per frame (and `{slot, release}` back).
 * Consecutive child segments talk to each other directly. A child that exits or crashes is noticed
 * at once; its slots are reclaimed and the pipeline fails with `NodeFailed` naming the node and the
 * exit code or signal, or restarts the segment (`onFailure: 'restart'`).
 *
 * @example
 * ```ts
 * // denoise.js
 * import { defineFilter } from 'geyser';
 * export default () => defineFilter('denoise', (scope) => ({ next: (frame) => scope.emit(frame) }));
 *
 * // main.js
 * await pipeline(
 *   testPattern({ width: 1920, height: 1080, frames: 600 }),
 *   inChildProcess(new URL('./denoise.js', import.meta.url), { onFailure: 'restart', maxRestarts: 2 }),
 *   nullSink(),
 * ).done;
 * ```
 * @param moduleUrl - the module (file URL, or an absolute path)
 * @param options - see {@link ChildProcessOptions}
 * @returns an operator node (it can also be the first stage: then the child's node is a source)
 * @throws `InvalidDescriptor` for a module that is not a file URL or absolute path, or bad options
 */
export function inChildProcess(moduleUrl: URL | string, options: ChildProcessOptions = {}): OperatorNode<Frame, Frame> {
  const settings = resolveSegment(moduleUrl, options);
  const spec: NodeSpec = {
    name: settings.node.name,
    kind: 'segment',
    options: settings.node,
    segment: settings,
    build: (env: NodeEnv | undefined): OperatorFunction<unknown, unknown> => (input) => segmentObservable(spec, env, input),
  };
  const operator = (input: Observable<Frame>): Observable<Frame> => segmentObservable(spec, undefined, input) as Observable<Frame>;
  return brand(operator, spec) as OperatorNode<Frame, Frame>;
}

function segmentObservable(spec: NodeSpec, env: NodeEnv | undefined, input: Observable<unknown> | undefined): Observable<unknown> {
  if (input !== undefined && !isObservable(input)) input = undefined;
  return buildChildChain([{ spec, env }], env?.context, input, env?.metrics);
}

function resolveSegment(moduleUrl: URL | string, options: ChildProcessOptions): SegmentSettings {
  let url: string;
  if (moduleUrl instanceof URL) url = moduleUrl.href;
  else if (typeof moduleUrl === 'string' && moduleUrl.startsWith('file:')) url = moduleUrl;
  else if (typeof moduleUrl === 'string' && isAbsolute(moduleUrl)) url = pathToFileURL(moduleUrl).href;
  else throw new GeyserError('InvalidDescriptor', expectedMessage('a file URL or an absolute path', 'moduleUrl', moduleUrl));
  if (!url.startsWith('file:')) throw new GeyserError('InvalidDescriptor', expectedMessage('a file URL or an absolute path', 'moduleUrl', String(moduleUrl)));
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'inChildProcess options', options));
  checkKnownKeys(options, ['name', 'options', 'onFailure', 'maxRestarts', 'killGraceMs', 'env', 'input'], 'inChildProcess');
  const onFailure = options.onFailure ?? 'error';
  if (onFailure !== 'error' && onFailure !== 'restart') throw new GeyserError('InvalidDescriptor', expectedMessage("'error' or 'restart'", 'onFailure', onFailure));
  const maxRestarts = options.maxRestarts === undefined ? 3 : checkIntegerInRange(options.maxRestarts, 'maxRestarts', 0, 100);
  const killGraceMs = options.killGraceMs === undefined ? 2000 : checkIntegerInRange(options.killGraceMs, 'killGraceMs', 0, 60_000);
  if (options.env !== undefined && !isPlainObject(options.env)) throw new TypeError(expectedMessage('an object of strings', 'env', options.env));
  try {
    JSON.stringify(options.options ?? null);
  } catch (error) {
    throw new GeyserError('InvalidDescriptor', `inChildProcess options.options must be JSON: ${(error as Error).message}`);
  }
  const defaultName = fileURLToPath(url).split('/').pop()!.replace(/\.[cm]?[jt]s$/, '');
  const node = resolveNodeOptions({ name: options.name ?? defaultName, ...(options.input ? { input: options.input } : {}) }, defaultName);
  return { moduleUrl: url, factoryOptions: options.options, onFailure, maxRestarts, killGraceMs, env: { ...((options.env as Record<string, string> | undefined) ?? {}) }, node };
}
