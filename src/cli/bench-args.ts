/**
 * Parses and validates `geyser bench` arguments, with the house message shape for bad values.
 *
 * @internal
 * @module
 */
import { expectedMessage } from '../core/validate.js';

/** What `geyser bench` was asked to do. */
export interface BenchArgs {
  json: boolean;
  quick: boolean;
  /** Benchmarks to run, in suite order. */
  only: string[];
  /** Where to write the JSON report: a file, or a directory (then `<machine>.json` in it). */
  out: string | undefined;
  soak: boolean;
  /** Soak frames (default 100,000). */
  frames: number;
  /** Soak frame size. */
  width: number;
  height: number;
  help: boolean;
}

/**
 * A usage error: printed with the usage text, exit code 2.
 *
 * @example
 * ```ts
 * throw new BenchUsageError('--out needs a value');
 * ```
 */
export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

/** The usage text; `BENCHMARKS` is replaced by the benchmark names. */
export const BENCH_USAGE = `Usage: geyser bench [--json] [--quick] [--only NAME[,NAME...]] [--out FILE|DIR/]
       geyser bench --soak [--frames N] [--size WxH] [--json] [--out FILE]

Runs every benchmark beside its baseline measured in the same run, prints a table (or the JSON
report with --json) and writes the JSON report to --out (a directory gets <machine>.json).

  --json          print the JSON report on stdout instead of the table
  --quick         fewer rounds and frames (CI); figures are indicative only
  --only NAMES    run only these benchmarks (comma-separated or repeated): BENCHMARKS
  --out PATH      write the JSON report to PATH (a directory, or ending in /: PATH/<machine>.json)
  --soak          the soak run: frames through the three-process pipeline, sampling RSS and fds of
                  every process; exit code 1 if any grows after warm-up
  --frames N      soak frames (default 100000)
  --size WxH      soak frame size (default 1280x720)
`;

/** Reads the value after a flag, or fails naming the flag. */
function valueOf(args: readonly string[], index: number, flag: string): string {
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new BenchUsageError(`${flag} needs a value`);
  return value;
}

/**
 * Parses `geyser bench` arguments.
 *
 * @example
 * ```ts
 * parseBenchArgs(['--quick', '--only', 'handoff'], ['handoff', 'pool']).only; // ['handoff']
 * ```
 * @param args - the words after `bench`
 * @param names - the benchmark names, in suite order
 * @throws BenchUsageError naming the option and what was wrong
 */
export function parseBenchArgs(args: readonly string[], names: readonly string[]): BenchArgs {
  const parsed: BenchArgs = { json: false, quick: false, only: [], out: undefined, soak: false, frames: 100_000, width: 1280, height: 720, help: false };
  const asked: string[] = [];
  let sawFrames = false;
  let sawSize = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    switch (arg) {
      case '--json':
        parsed.json = true;
        break;
      case '--quick':
        parsed.quick = true;
        break;
      case '--soak':
        parsed.soak = true;
        break;
      case '--help':
      case '-h':
        parsed.help = true;
        break;
      case '--only':
        asked.push(...valueOf(args, i++, arg).split(','));
        break;
      case '--out':
        parsed.out = valueOf(args, i++, arg);
        break;
      case '--frames': {
        const text = valueOf(args, i++, arg);
        const frames = Number(text);
        if (!/^\d+$/.test(text) || !Number.isSafeInteger(frames) || frames < 1) throw new BenchUsageError(expectedMessage('positive integer', '--frames', text));
        parsed.frames = frames;
        sawFrames = true;
        break;
      }
      case '--size': {
        const text = valueOf(args, i++, arg);
        const match = /^(\d+)x(\d+)$/.exec(text);
        const width = Number(match?.[1]);
        const height = Number(match?.[2]);
        if (!match || width < 16 || height < 16 || width > 8192 || height > 8192 || width % 2 || height % 2) {
          throw new BenchUsageError(expectedMessage('WxH with even sides between 16 and 8192', '--size', text));
        }
        parsed.width = width;
        parsed.height = height;
        sawSize = true;
        break;
      }
      default:
        throw new BenchUsageError(`unknown option ${arg}`);
    }
  }
  for (const name of asked) {
    if (!names.includes(name)) throw new BenchUsageError(expectedMessage(`one of ${names.join(', ')}`, '--only', name));
  }
  if (parsed.soak && asked.length > 0) throw new BenchUsageError('--only does not apply to --soak');
  if (!parsed.soak && (sawFrames || sawSize)) throw new BenchUsageError(`${sawFrames ? '--frames' : '--size'} applies only to --soak`);
  parsed.only = asked.length > 0 ? names.filter((name) => asked.includes(name)) : [...names];
  return parsed;
}
