/**
 * Splits a node's options bag into its own settings and the options every node shares (`name`,
 * `input`, `pool`), catching misspelled keys of both.
 *
 * @internal
 * @module
 */
import { checkKnownKeys, expectedMessage, isPlainObject } from '../../core/validate.js';
import type { NodeOptions } from '../../pipeline/node.js';

/** The keys every node accepts (see `NodeOptions`). */
const COMMON_KEYS = ['name', 'input', 'pool'] as const;

/**
 * Checks `options` is an object whose keys are the node's own or the common ones; returns the
 * common part to pass to `defineSource`/`defineFilter`/`defineSink`.
 *
 * @throws TypeError for a non-object or an unknown key
 */
export function splitNodeOptions(options: unknown, own: readonly string[], node: string): NodeOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', `${node} options`, options));
  checkKnownKeys(options, [...own, ...COMMON_KEYS], node);
  const common: NodeOptions = {};
  for (const key of COMMON_KEYS) {
    if (options[key] !== undefined) (common as Record<string, unknown>)[key] = options[key];
  }
  return common;
}
