/**
 * The `FfmpegFailed` error: which ffmpeg, how it ended, doing what, and its last stderr lines.
 *
 * @internal
 * @module
 */
import { GeyserError } from '../../core/errors.js';
import type { EncoderExit } from './backend.js';

/** Turns how ffmpeg ended into the `FfmpegFailed` error that names it. @internal */
export function ffmpegFailure(exit: EncoderExit, pid: number | undefined, what: string): GeyserError {
  const who = pid === undefined ? 'ffmpeg' : `ffmpeg (pid ${pid})`;
  const how = exit.startError
    ? `could not start: ${exit.startError.message}`
    : exit.signal
      ? `was killed by ${exit.signal}`
      : `exited with code ${exit.code}`;
  const tail = exit.stderrTail.length > 0 ? `; last stderr lines:\n  ${exit.stderrTail.join('\n  ')}` : '; it wrote nothing to stderr';
  return new GeyserError('FfmpegFailed', `${who} ${how} ${what}${tail}`, { detail: exit.signal ?? (exit.code === null ? undefined : `exit ${exit.code}`) });
}
