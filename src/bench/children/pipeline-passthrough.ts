/**
 * Child-segment module: a pass-through filter (it forwards each frame untouched), run in its own
 * process: the middle of the three-process benchmark pipeline.
 *
 * @internal
 * @module
 */
import { openSync } from 'node:fs';
import { defineFilter } from '../../index.js';

/**
 * Fault injection for testing the soak's leak detector (never set in a real run):
 * `GEYSER_BENCH_LEAK_FDS_EVERY=N` makes this filter open /dev/null every N frames and keep it.
 */
const leakEvery = Number(process.env.GEYSER_BENCH_LEAK_FDS_EVERY ?? 0);
const leaked: number[] = [];

/** The segment factory `inChildProcess` calls. */
export default function passthrough() {
  let frames = 0;
  return defineFilter('filter', (scope) => ({
    next(frame) {
      if (leakEvery > 0 && ++frames % leakEvery === 0) leaked.push(openSync('/dev/null', 'r'));
      scope.emit(frame);
    },
  }));
}
