/**
 * The demo's source stage: an animated test pattern (color bars, a ramp and a frame counter), each
 * frame stamped with its seq and checksum. A module so it can run in its own process.
 *
 * @internal
 * @module
 */
import { defineSource } from '../../pipeline/define-node.js';
import type { Frame } from '../../pipeline/frame.js';
import type { SourceNode } from '../../pipeline/node.js';
import { drawTestPattern } from '../../nodes/kernels/test-pattern.js';

/** Options the demo passes (JSON, across the process boundary). */
export interface PatternStageOptions {
  width: number;
  height: number;
  frames: number;
  fps: number;
}

/** The test-pattern source: `frames` frames of `width` x `height`, pts from `fps`. */
export default function patternStage({ width, height, frames, fps }: PatternStageOptions): SourceNode<Frame> {
  return defineSource('testPattern', async (scope) => {
    const { manager } = scope.context;
    const scratch = manager.mapTexture ? undefined : new Uint8Array(width * height * 4);
    for (let seq = 0; seq < frames && !scope.closed; seq++) {
      let frame: Frame;
      try {
        frame = await scope.acquireFrame({ width, height, format: 'rgba8unorm' }, { seq, pts: Math.round((seq * 1e6) / fps) });
      } catch (error) {
        if (scope.closed) return; // stopped while waiting for a slot
        throw error;
      }
      const data = scratch ?? manager.mapTexture!(frame.texture);
      drawTestPattern({ data, width, height }, seq);
      if (scratch) manager.writeTexture(frame.texture, scratch);
      scope.emit(frame);
    }
  });
}
