/**
 * The demo's filter stage: grayscale, from the CPU pixel kernels. A module so it can run in its own
 * process.
 *
 * @internal
 * @module
 */
import { defineFilter } from '../../pipeline/define-node.js';
import type { Frame } from '../../pipeline/frame.js';
import type { OperatorNode } from '../../pipeline/node.js';
import { grayscaleRgba } from '../../nodes/kernels/grayscale.js';

/** Grayscale into a frame of the filter's own pool (the input goes back to its producer). */
export default function filterStage(): OperatorNode<Frame, Frame> {
  return defineFilter('grayscale', (scope) => ({
    async next(frame) {
      const { manager } = scope.context;
      const out = await scope.acquireFrame(frame);
      const { width, height } = frame;
      const source = manager.mapTexture ? manager.mapTexture(frame.texture) : manager.readTexture(frame.texture);
      if (manager.mapTexture) {
        grayscaleRgba({ data: source, width, height }, { data: manager.mapTexture(out.texture), width, height });
      } else {
        const target = new Uint8Array(width * height * 4);
        grayscaleRgba({ data: source, width, height }, { data: target, width, height });
        manager.writeTexture(out.texture, target);
      }
      scope.emit(out);
    },
  }));
}
