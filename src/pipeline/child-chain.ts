/**
 * Runs consecutive `inChildProcess` segments as child processes (placeholder until ShareChannel lands).
 *
 * @internal
 * @module
 */
import type { Observable } from 'rxjs';
import { GeyserError } from '../core/errors.js';
import type { PipelineContext } from './context.js';
import type { NodeEnv, NodeSpec } from './node.js';

/** One segment of a chain and the env it was planned with. @internal */
export interface ChainSegment {
  spec: NodeSpec;
  env: NodeEnv | undefined;
}

/** @internal */
export function buildChildChain(chain: ChainSegment[], _context: PipelineContext | undefined, _input: Observable<unknown> | undefined): Observable<unknown> {
  throw new GeyserError('OperationNotSupported', `child segments are not wired yet (${chain.map((n) => n.spec.name).join(', ')})`);
}
