/**
 * Finding the ffmpeg and ffprobe executables.
 *
 * No one place works everywhere: `ffmpeg-static` downloads its binary at install time (and so
 * fails offline), `@ffmpeg-installer/*` ship one inside the package but only for some platforms,
 * and a system ffmpeg may or may not be on PATH. So Geyser walks a fixed chain and, when every
 * link fails, says what each one was and why it failed.
 *
 * @module
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { debuglog } from 'node:util';
import { GeyserError } from '../../core/errors.js';
import { PACKAGE_ROOT } from '../../core/native.js';

const debug = debuglog('geyser');

/** Which ffmpeg tool to find. */
export type FfmpegTool = 'ffmpeg' | 'ffprobe';

/** Where a tool was found. */
export interface LocatedTool {
  /** Absolute path of the executable. */
  readonly path: string;
  /** Which link of the chain found it, e.g. `'FFMPEG_PATH'`, `'ffmpeg-static'`, `'PATH'`. */
  readonly source: string;
}

/** Options for {@link locateFfmpeg} and {@link locateFfprobe}; the defaults suit everyone but tests. */
export interface LocateOptions {
  /** Environment to read `FFMPEG_PATH`/`FFPROBE_PATH` and `PATH` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Directory whose `node_modules` the binary packages are resolved from (default: Geyser's own). */
  resolveFrom?: string;
}

/** One link of the chain: where it looks, and a path or the reason it has none. */
interface Attempt {
  readonly place: string;
  readonly path?: string;
  readonly reason?: string;
}

const EXE = process.platform === 'win32' ? '.exe' : '';

/** Why `path` is not an executable file, or undefined when it is one. @internal */
export function notExecutable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return `${path} is not a file`;
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${path} does not exist`;
    if (code === 'EACCES') return `${path} is not executable`;
    return `${path}: ${(error as Error).message}`;
  }
}

function fromVariable(env: NodeJS.ProcessEnv, name: string): Attempt {
  const value = env[name];
  const place = `$${name}`;
  if (value === undefined || value === '') return { place, reason: 'not set' };
  const path = resolve(value);
  const why = notExecutable(path);
  return why === undefined ? { place, path } : { place, reason: why };
}

/** A package whose main export is the binary's path (ffmpeg-static) or `{ path }` (the installers). */
function fromPackage(name: string, resolveFrom: string): Attempt {
  const place = `the ${name} package`;
  let exported: unknown;
  try {
    exported = createRequire(join(resolve(resolveFrom), 'noop.js'))(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND') return { place, reason: 'not installed' };
    // @ffmpeg-installer throws a plain string when its platform package is missing.
    return { place, reason: error instanceof Error ? error.message : String(error) };
  }
  const path = typeof exported === 'string' ? exported : (exported as { path?: unknown } | null)?.path;
  if (typeof path !== 'string' || path === '') return { place, reason: 'installed but names no binary (its download at install time failed)' };
  const why = notExecutable(path);
  return why === undefined ? { place, path } : { place, reason: why };
}

function fromSearchPath(env: NodeJS.ProcessEnv, tool: FfmpegTool): Attempt {
  const place = '$PATH';
  const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '' && isAbsolute(dir));
  if (dirs.length === 0) return { place, reason: 'empty' };
  for (const dir of dirs) {
    const path = join(dir, tool + EXE);
    if (notExecutable(path) === undefined) return { place, path };
  }
  return { place, reason: `no executable ${tool}${EXE} in ${dirs.join(delimiter)}` };
}

/** The chain for each tool, in the order it is tried. */
function chain(tool: FfmpegTool, env: NodeJS.ProcessEnv, resolveFrom: string): Array<() => Attempt> {
  if (tool === 'ffmpeg') {
    return [
      () => fromVariable(env, 'FFMPEG_PATH'),
      () => fromPackage('ffmpeg-static', resolveFrom),
      () => fromPackage('@ffmpeg-installer/ffmpeg', resolveFrom),
      () => fromSearchPath(env, 'ffmpeg'),
    ];
  }
  return [
    () => fromVariable(env, 'FFPROBE_PATH'),
    () => besideFfmpeg(env),
    () => fromPackage('@ffprobe-installer/ffprobe', resolveFrom),
    () => fromSearchPath(env, 'ffprobe'),
  ];
}

/** An ffprobe next to `$FFMPEG_PATH`, so pointing at one build of ffmpeg points at both tools. */
function besideFfmpeg(env: NodeJS.ProcessEnv): Attempt {
  const place = 'beside $FFMPEG_PATH';
  if (!env.FFMPEG_PATH) return { place, reason: 'FFMPEG_PATH not set' };
  const path = join(dirname(resolve(env.FFMPEG_PATH)), 'ffprobe' + EXE);
  const why = notExecutable(path);
  return why === undefined ? { place, path } : { place, reason: why };
}

const cache = new Map<string, LocatedTool>();

/** Walks the chain for `tool`; throws `FfmpegNotFound` naming every place tried and why it failed. */
function locate(tool: FfmpegTool, options: LocateOptions = {}): LocatedTool {
  const env = options.env ?? process.env;
  const resolveFrom = options.resolveFrom ?? PACKAGE_ROOT;
  const key = JSON.stringify([tool, env.FFMPEG_PATH, env.FFPROBE_PATH, env.PATH, resolveFrom]);
  const hit = cache.get(key);
  if (hit && notExecutable(hit.path) === undefined) return hit;
  const failed: Attempt[] = [];
  for (const attempt of chain(tool, env, resolveFrom)) {
    const result = attempt();
    if (result.path === undefined) {
      failed.push(result);
      continue;
    }
    // A variable the user set but that points nowhere is worth a word, even though a later link works.
    const ignoredVariable = failed.find((f) => f.place.startsWith('$') && f.reason !== 'not set' && f.place !== '$PATH');
    if (ignoredVariable) {
      process.emitWarning(`${ignoredVariable.place} ignored (${ignoredVariable.reason}); using ${result.path} from ${result.place}`, { code: 'GEYSER_FFMPEG_FALLBACK' });
    }
    debug('%s: using %s (from %s)', tool, result.path, result.place);
    const found = { path: result.path, source: result.place };
    cache.set(key, found);
    return found;
  }
  const variable = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  throw new GeyserError(
    'FfmpegNotFound',
    `${tool} was not found. Tried:\n${failed.map((f) => `  ${f.place}: ${f.reason}`).join('\n')}\n` +
      `Install ffmpeg (e.g. apt-get install ffmpeg, brew install ffmpeg) or set ${variable} to its executable.`,
  );
}

/**
 * Finds the ffmpeg executable: `$FFMPEG_PATH`, then the `ffmpeg-static` package, then the
 * `@ffmpeg-installer/ffmpeg` package, then `ffmpeg` on `$PATH`. The answer is cached.
 *
 * @example
 * ```ts
 * import { locateFfmpeg } from 'geyser';
 * const { path, source } = locateFfmpeg();
 * console.log(`ffmpeg ${path} (from ${source})`);
 * ```
 * @param options - environment and package root to search (defaults: this process's)
 * @returns the executable's path and which link of the chain found it
 * @throws {@link GeyserError} `FfmpegNotFound` naming each place tried and why it failed
 */
export function locateFfmpeg(options?: LocateOptions): LocatedTool {
  return locate('ffmpeg', options);
}

/**
 * Finds the ffprobe executable: `$FFPROBE_PATH`, then an ffprobe beside `$FFMPEG_PATH`, then the
 * `@ffprobe-installer/ffprobe` package, then `ffprobe` on `$PATH`. The answer is cached.
 *
 * @example
 * ```ts
 * import { locateFfprobe } from 'geyser';
 * console.log(locateFfprobe().path);
 * ```
 * @param options - environment and package root to search (defaults: this process's)
 * @returns the executable's path and which link of the chain found it
 * @throws {@link GeyserError} `FfmpegNotFound` naming each place tried and why it failed
 */
export function locateFfprobe(options?: LocateOptions): LocatedTool {
  return locate('ffprobe', options);
}
