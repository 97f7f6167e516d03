/**
 * `nullSink`: a consumer that releases every frame at once.
 *
 * @module
 */
import { defineSink } from '../pipeline/define-node.js';
import type { Frame } from '../pipeline/frame.js';
import type { OperatorNode } from '../pipeline/node.js';
import { splitNodeOptions } from './support/node-options.js';

/** Options of {@link nullSink}. */
export interface NullSinkOptions {
  /** Node name (default `'nullSink'`). */
  name?: string;
}

/**
 * Consumes frames and does nothing with them: each is released as soon as it arrives, so its slot
 * returns to its pool. The end of a pipeline that is measured, or whose work is in its filters.
 *
 * @example
 * ```ts
 * await pipeline(testPattern({ width: 1920, height: 1080, frames: 600 }), nullSink()).done;
 * ```
 * @param options - node name
 * @returns a sink node
 * @throws `TypeError` for an unknown option
 */
export function nullSink(options?: NullSinkOptions): OperatorNode<Frame, never> {
  const common = splitNodeOptions(options, [], 'nullSink');
  return defineSink<Frame>('nullSink', () => ({ next: () => undefined }), common);
}
