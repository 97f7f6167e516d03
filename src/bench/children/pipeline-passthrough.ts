/**
 * Child-segment module: a pass-through filter (it forwards each frame untouched), run in its own
 * process: the middle of the three-process benchmark pipeline.
 *
 * @internal
 * @module
 */
import { defineFilter } from '../../index.js';

/** The segment factory `inChildProcess` calls. */
export default function passthrough() {
  return defineFilter('filter', (scope) => ({
    next(frame) {
      scope.emit(frame);
    },
  }));
}
