// Shared by the host tests: leak counters and a child process that speaks JSON lines.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Open fds of this process. */
export function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Live child processes of this process (from every thread's children list). */
export function childCount(): number {
  let count = 0;
  for (const task of readdirSync('/proc/self/task')) {
    const text = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
    if (text) count += text.split(/\s+/).length;
  }
  return count;
}

/** Path of a fixture in test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A child running a fixture; its stdout lines are JSON messages. */
export class JsonChild {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  readonly #lines: string[] = [];
  readonly #waiters: ((line: string) => void)[] = [];

  constructor(script: string, args: string[], fds: number[]) {
    const stdio: StdioOptions = ['pipe', 'pipe', 'inherit', ...fds];
    this.process = spawn(process.execPath, [fixture(script), ...args], { stdio });
    this.exited = new Promise((resolve) => this.process.on('close', (code) => resolve(code)));
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      const waiter = this.#waiters.shift();
      if (waiter) waiter(line);
      else this.#lines.push(line);
    });
  }

  /** The next JSON message the child writes. */
  next(): Promise<Record<string, unknown>> {
    const queued = this.#lines.shift();
    if (queued !== undefined) return Promise.resolve(JSON.parse(queued));
    return new Promise((resolve) => this.#waiters.push((line) => resolve(JSON.parse(line))));
  }

  /** Writes one JSON message to the child's stdin. */
  send(message: unknown): void {
    this.process.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  /** Closes stdin and waits for exit. */
  async finish(): Promise<number | null> {
    this.process.stdin!.end();
    return this.exited;
  }
}

/** What `fn` throws (fails the test when it returns). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but the call returned');
}

/** What `promise` rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** The shape to compare a GeyserError against: class name, code and exact message. */
export function geyserError(code: string, message: string): { name: string; code: string; message: string } {
  return { name: 'GeyserError', code, message };
}
