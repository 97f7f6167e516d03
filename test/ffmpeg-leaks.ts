/**
 * Leak counters for the ffmpeg tests: open fds of this process and its live child processes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';

/** Open file descriptors of this process. */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Pids of this process's live (not zombie) children. */
export function childPids(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync('/proc/self/task')) {
    const text = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
    if (text) pids.push(...text.split(/\s+/).map(Number));
  }
  return pids.filter((pid) => {
    try {
      return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Waits (up to `ms`) for the fd and child counts to return to a baseline, then returns them. */
export async function settledCounts(baseline: { fds: number; children: number }, ms = 2000): Promise<{ fds: number; children: number }> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = { fds: openFdCount(), children: childPids().length };
    if ((now.fds === baseline.fds && now.children === baseline.children) || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Counts now, for a later {@link settledCounts}. */
export function counts(): { fds: number; children: number } {
  return { fds: openFdCount(), children: childPids().length };
}

/** ffprobe's exact frame count of a file, independent of Geyser's own probe. */
export function ffprobeFrames(path: string): number {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path]);
  return Number(out.toString().trim());
}

/**
 * Registers a check around every test of the calling file: once ffmpeg processes had time to exit,
 * this process's fds and children are what they were before the test.
 */
export function expectSettledPerTest(): void {
  let before = { fds: 0, children: 0 };
  beforeEach(() => {
    before = counts();
  });
  afterEach(async () => {
    expect(await settledCounts(before)).toEqual(before);
  });
}

