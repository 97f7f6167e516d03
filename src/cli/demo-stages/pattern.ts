/**
 * The demo's source stage as a module, so it can run in its own process: the library's
 * `testPattern` node, unpaced (as fast as the pipeline takes frames).
 *
 * @internal
 * @module
 */
import type { Frame } from '../../pipeline/frame.js';
import type { SourceNode } from '../../pipeline/node.js';
import { testPattern } from '../../nodes/testPattern.js';

/** Options the demo passes (JSON, across the process boundary). */
export interface PatternStageOptions {
  width: number;
  height: number;
  frames: number;
}

/** The test-pattern source: `frames` frames of `width` x `height`. */
export default function patternStage({ width, height, frames }: PatternStageOptions): SourceNode<Frame> {
  return testPattern({ width, height, frames });
}
