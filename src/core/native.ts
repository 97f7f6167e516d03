/**
 * Finds and loads the C++ addon, and turns its errors into {@link GeyserError}s.
 *
 * @internal
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeyserError, type GeyserErrorCode } from './errors.js';

const require = createRequire(import.meta.url);
/** The package root: this file is `src/core/native.ts` or `dist/core/native.js`. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The addon's exports, loosely typed; each area narrows it to its own interface. */
export type NativeAddon = Record<string, unknown>;

let loaded: NativeAddon | undefined;

/** Where the addon is looked for, in order. */
export function addonCandidates(): string[] {
  const fromEnv = process.env.GEYSER_ADDON_PATH;
  return [
    ...(fromEnv ? [resolve(fromEnv)] : []),
    resolve(PACKAGE_ROOT, 'build', 'Release', 'geyser.node'),
    resolve(PACKAGE_ROOT, 'build', 'Debug', 'geyser.node'),
  ];
}

/**
 * The loaded addon. Throws one `AddonNotFound` error listing every path tried, and how to build it.
 */
export function native(): NativeAddon {
  if (loaded) return loaded;
  const tried: string[] = [];
  for (const candidate of addonCandidates()) {
    if (!existsSync(candidate)) {
      tried.push(`${candidate} (missing)`);
      continue;
    }
    try {
      loaded = require(candidate) as NativeAddon;
      return loaded;
    } catch (error) {
      tried.push(`${candidate} (${(error as Error).message})`);
    }
  }
  throw new GeyserError(
    'AddonNotFound',
    `The Geyser native addon could not be loaded. Tried:\n  ${tried.join('\n  ')}\n` +
      'Build it with `npm rebuild geyser` (or `npx node-gyp rebuild` in the package), which needs python3, make and a C++17 compiler; ' +
      'set GEYSER_ADDON_PATH to use a prebuilt geyser.node.',
  );
}

/** What the addon registers for an area this build leaves out (a Windows build's host and ipc). */
interface UnavailableArea {
  available: false;
  reason: string;
}

/**
 * One area of the addon's exports, or `BackendUnavailable` naming the area and the addon's reason
 * where this build registers `{ available: false, reason }` for it instead.
 *
 * @param key - the export's name, e.g. `'host'`
 * @param what - the area in words, for the message, e.g. `'the host backend'`
 */
export function nativeArea<T>(key: string, what: string): T {
  const area = native()[key] as T | UnavailableArea | undefined;
  if (area === undefined || (typeof area === 'object' && area !== null && 'available' in area && area.available === false)) {
    throw new GeyserError('BackendUnavailable', `${what} is unavailable: ${(area as UnavailableArea | undefined)?.reason ?? `the addon has no ${key} export`}`);
  }
  return area as T;
}

/** Rewraps an error thrown by the addon (it carries `geyserCode`) as a GeyserError. */
export function toGeyserError(error: unknown): unknown {
  if (error instanceof GeyserError || !(error instanceof Error)) return error;
  const tagged = error as Error & { geyserCode?: string; detail?: string };
  if (typeof tagged.geyserCode !== 'string') return error;
  return new GeyserError(tagged.geyserCode as GeyserErrorCode, tagged.message, { detail: tagged.detail, cause: error });
}

/** Runs a native call, rethrowing its failure as a GeyserError. */
export function callNative<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toGeyserError(error);
  }
}

/** Awaits a native promise, rethrowing its failure as a GeyserError. */
export async function awaitNative<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw toGeyserError(error);
  }
}
