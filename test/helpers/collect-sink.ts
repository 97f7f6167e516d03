/** Test helper: a sink that copies every frame it gets out of its texture, for comparison. */
import { defineSink, type Frame, type OperatorNode } from '../../src/index.js';

/** One frame as the sink saw it. */
export interface CollectedFrame {
  seq: number;
  pts: number;
  width: number;
  height: number;
  format: string;
  metadata: Readonly<Record<string, unknown>>;
  pixels: Uint8Array;
}

/** A sink that records every frame (a copy of its bytes through `readTexture`). */
export function collectSink(): OperatorNode<Frame, never> & { frames: CollectedFrame[] } {
  const frames: CollectedFrame[] = [];
  const node = defineSink<Frame>('collect', () => ({
    next(frame) {
      frames.push({
        seq: frame.seq,
        pts: frame.pts,
        width: frame.width,
        height: frame.height,
        format: frame.format,
        metadata: frame.metadata,
        pixels: frame.context.manager.readTexture(frame.texture),
      });
    },
  }));
  return Object.assign(node, { frames });
}
