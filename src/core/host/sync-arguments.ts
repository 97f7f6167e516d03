/**
 * Argument checks shared by the host semaphore and fence, in the standard message shape.
 *
 * @internal
 * @module
 */
import { checkIntegerInRange } from '../validate.js';

/** The longest finite wait accepted (about 24.8 days, the largest timer Node itself accepts). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** `undefined` (wait forever) becomes -1; anything else must be an integer 0..MAX_TIMEOUT_MS. */
export function timeoutArgument(timeoutMs: unknown): number {
  if (timeoutMs === undefined) return -1;
  return checkIntegerInRange(timeoutMs, 'timeoutMs', 0, MAX_TIMEOUT_MS, 'Other');
}

/** A timeline counter value: an integer 0..2^53-1 (what a JS number holds exactly). */
export function counterArgument(value: unknown, field: string, min = 0): number {
  return checkIntegerInRange(value, field, min, Number.MAX_SAFE_INTEGER, 'Other');
}
