#!/usr/bin/env node
/**
 * The `geyser` command: `info`, `demo`, `bench`.
 *
 * @internal
 * @module
 */
import { GeyserError } from '../core/errors.js';

const USAGE = `Usage: geyser <command> [options]

Commands:
  info [--json]        backends that work on this machine, devices and what each can do
  demo [options]       run the multi-process demo pipeline and write a video
  bench [--json]       run the benchmarks beside their baselines
`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  info: async () => (await import('./info.js')).runInfo,
  demo: async () => (await import('./demo.js')).runDemo,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 1 : 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`geyser: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const prefix = error instanceof GeyserError ? `geyser: ${error.code}: ` : 'geyser: ';
    process.stderr.write(`${prefix}${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
