/**
 * The program a child segment runs (`process.execPath child-main.js`): reads its setup from the
 * control channel (fd 3), loads the segment's module, and moves frames between its upstream edge
 * (fd 4, or a socket it listens on after a restart) and its downstream edge (fd 5).
 *
 * @internal
 * @module
 */
import { runChildSegment } from './child-runtime.js';

runChildSegment().catch((error: unknown) => {
  process.stderr.write(`geyser child segment failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(70);
});
