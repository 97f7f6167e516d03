/** Test helpers: the GeyserError a call throws or a promise rejects with (failing otherwise). */
import { expect } from 'vitest';
import { GeyserError } from '../../src/index.js';

/** Runs `fn`, expecting a GeyserError; returns it. */
export function thrownGeyserError(fn: () => unknown): GeyserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GeyserError);
    return error as GeyserError;
  }
  throw new Error('expected a GeyserError, but nothing was thrown');
}

/** Awaits `promise`, expecting it to reject with a GeyserError; returns it. */
export async function rejectedGeyserError(promise: Promise<unknown>): Promise<GeyserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GeyserError);
    return error as GeyserError;
  }
  throw new Error('expected a rejection');
}
