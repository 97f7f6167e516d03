/**
 * Spawns the bench's child processes (`process.execPath` on a script in `children/`) and waits for
 * them to end, so no benchmark leaves a process behind.
 *
 * @internal
 * @module
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The path of a compiled child script in `children/`.
 *
 * @example
 * ```ts
 * childScript('baseline-peer'); // '.../dist/bench/children/baseline-peer.js'
 * ```
 */
export function childScript(name: string): string {
  return fileURLToPath(new URL(`./children/${name}.js`, import.meta.url));
}

/**
 * Spawns `node children/<name>.js ...args`. stderr is inherited so a child's failure is visible.
 *
 * @example
 * ```ts
 * const child = spawnPeer('baseline-peer', ['pipe-ack', '3686400'], { stdio: ['pipe', 'pipe', 'inherit'] });
 * ```
 */
export function spawnPeer(name: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [childScript(name), ...args], { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/**
 * Resolves when the child has exited (at once if it already has); rejects if it exited with an
 * error status or by a signal other than the one we sent, naming the code or signal.
 *
 * @example
 * ```ts
 * child.kill();
 * await exited(child, 'SIGTERM');
 * ```
 * @param child - the process
 * @param expectedSignal - a signal we sent ourselves, which is not an error
 */
export function exited(child: ChildProcess, expectedSignal?: NodeJS.Signals): Promise<void> {
  const judge = (code: number | null, signal: NodeJS.Signals | null): Error | undefined => {
    if (code === 0 || (signal !== null && signal === expectedSignal)) return undefined;
    return new Error(`bench child ${child.spawnargs.slice(1, 3).join(' ')} exited with ${signal ?? `code ${code}`}`);
  };
  if (child.exitCode !== null || child.signalCode !== null) {
    const error = judge(child.exitCode, child.signalCode);
    return error ? Promise.reject(error) : Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const error = judge(code, signal);
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * Kills a child (SIGTERM) unless it has already exited, and waits for it.
 *
 * @example
 * ```ts
 * await stopPeer(child);
 * ```
 * @throws Error when the child had already failed on its own (exit status or another signal)
 */
export async function stopPeer(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited(child, 'SIGTERM');
}
