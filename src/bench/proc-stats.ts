/**
 * Per-process resource readings from `/proc` (Linux): resident memory, open fds, and the process
 * tree, for the pool and soak benchmarks' leak checks.
 *
 * @internal
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';

/** One process's reading. */
export interface ProcessSample {
  pid: number;
  /** Command line, shortened, to say which process grew. */
  command: string;
  /** `VmRSS` in bytes. */
  rssBytes: number;
  /** Entries in `/proc/<pid>/fd`. */
  fds: number;
}

/**
 * `VmRSS` of a process in bytes, or `undefined` once it has exited.
 *
 * @example
 * ```ts
 * const rss = readRss(process.pid);
 * ```
 */
export function readRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * Open fds of a process (entries of `/proc/<pid>/fd`), or `undefined` once it has exited. For
 * our own pid the count includes the directory handle used to read it, every time alike.
 *
 * @example
 * ```ts
 * const fds = countFds(process.pid);
 * ```
 */
export function countFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/**
 * Direct children of a process, from `/proc/<pid>/task/<tid>/children` of each of its threads.
 *
 * @example
 * ```ts
 * const before = childPids(process.pid);
 * ```
 */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const tid of tasks) {
    try {
      for (const word of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(/\s+/)) {
        if (word) children.push(Number(word));
      }
    } catch {
      // The thread ended between listing and reading: it has no children to report.
    }
  }
  return children;
}

/**
 * Every descendant of a process (children, their children...), depth first.
 *
 * @example
 * ```ts
 * const pipelineProcesses = [process.pid, ...descendantPids(process.pid)];
 * ```
 */
export function descendantPids(pid: number): number[] {
  const out: number[] = [];
  const visit = (parent: number) => {
    for (const child of childPids(parent)) {
      out.push(child);
      visit(child);
    }
  };
  visit(pid);
  return out;
}

/**
 * The command line of a process, shortened for messages (file names without their folders).
 *
 * @example
 * ```ts
 * commandOf(process.pid); // 'node main.js bench --soak'
 * ```
 */
export function commandOf(pid: number): string {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const short = words.map((word) => (word.includes('/') ? word.slice(word.lastIndexOf('/') + 1) : word));
    return short.join(' ').slice(0, 80);
  } catch {
    return `pid ${pid}`;
  }
}

/**
 * The value of an environment variable of another process (`/proc/<pid>/environ`, as it was at
 * its start), or `undefined`.
 *
 * @example
 * ```ts
 * environOf(child.pid, 'GEYSER_BENCH_ROLE'); // 'filter'
 * ```
 */
export function environOf(pid: number, name: string): string | undefined {
  try {
    const prefix = `${name}=`;
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((entry) => entry.startsWith(prefix))?.slice(prefix.length);
  } catch {
    return undefined;
  }
}

/**
 * Samples RSS and fds of each pid; exited processes are left out.
 *
 * @example
 * ```ts
 * const samples = sampleProcesses([process.pid, ...descendantPids(process.pid)]);
 * ```
 */
export function sampleProcesses(pids: readonly number[]): ProcessSample[] {
  const out: ProcessSample[] = [];
  for (const pid of pids) {
    const rssBytes = readRss(pid);
    const fds = countFds(pid);
    if (rssBytes !== undefined && fds !== undefined) out.push({ pid, command: commandOf(pid), rssBytes, fds });
  }
  return out;
}
