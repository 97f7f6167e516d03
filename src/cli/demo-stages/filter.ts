/**
 * The demo's filter stage as a module, so it can run in its own process: the library's
 * `grayscale` node.
 *
 * @internal
 * @module
 */
import type { Frame } from '../../pipeline/frame.js';
import type { OperatorNode } from '../../pipeline/node.js';
import { grayscale } from '../../nodes/grayscale.js';

/** Grayscale into frames of the filter's own pool. */
export default function filterStage(): OperatorNode<Frame, Frame> {
  return grayscale();
}
