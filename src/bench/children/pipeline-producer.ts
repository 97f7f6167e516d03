/**
 * Child-segment module: the stamping producer of the pipeline benchmarks, run in its own process.
 *
 * @internal
 * @module
 */
import { stampingProducer, type StampOptions } from '../stream-nodes.js';

/** The segment factory `inChildProcess` calls with the options given in the parent. */
export default function producer(options: StampOptions) {
  return stampingProducer(options);
}
