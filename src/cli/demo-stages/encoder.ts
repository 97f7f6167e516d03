/**
 * The demo's sink stage: the ffmpeg encoder. A module so it can run in its own process.
 *
 * @internal
 * @module
 */
import type { Frame } from '../../pipeline/frame.js';
import type { OperatorNode } from '../../pipeline/node.js';
import { encode } from '../../nodes/encode.js';
import type { EncodeOptions } from '../../nodes/ffmpeg/encode-options.js';

/** The encode sink with the demo's options (JSON, across the process boundary). */
export default function encoderStage(options: EncodeOptions): OperatorNode<Frame, never> {
  return encode(options);
}
