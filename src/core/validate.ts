/**
 * Argument predicates with one message shape (after sharp's `lib/is`):
 * `Expected positive integer for width but received -3 of type number`.
 *
 * @internal
 * @module
 */
import { GeyserError, type GeyserErrorCode } from './errors.js';

/** Describes a received value for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}' of type string`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `an object`;
  return `${String(value)} of type ${typeof value}`;
}

/** Builds the standard message: `Expected ${expected} for ${field} but received ${value}`. */
export function expectedMessage(expected: string, field: string, value: unknown): string {
  return `Expected ${expected} for ${field} but received ${describeValue(value)}`;
}

/** Throws a GeyserError (default code InvalidDescriptor) with the standard message. */
export function invalid(expected: string, field: string, value: unknown, code: GeyserErrorCode = 'InvalidDescriptor'): never {
  throw new GeyserError(code, expectedMessage(expected, field, value));
}

/** True for a finite integer. */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** Checks an integer within [min, max] (inclusive), else throws naming the field. */
export function checkIntegerInRange(value: unknown, field: string, min: number, max: number, code: GeyserErrorCode = 'InvalidDescriptor'): number {
  if (!isInteger(value) || value < min || value > max) {
    invalid(`integer between ${min} and ${max}`, field, value, code);
  }
  return value;
}

/** True for a plain object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Throws a TypeError naming any key of `options` that is not in `allowed`, so a misspelled option
 * (`{ widht: 3 }`) fails loudly instead of being ignored.
 */
export function checkKnownKeys(options: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`Unknown option '${key}' for ${what}; expected one of: ${allowed.join(', ')}`);
    }
  }
}
