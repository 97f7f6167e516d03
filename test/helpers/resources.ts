/** Test helpers: counts of this process's open fds and child processes, for leak checks. */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';

/** Open file descriptors of this process. */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Live child processes of this process (all threads' children). */
export function childProcessCount(): number {
  let count = 0;
  for (const task of readdirSync('/proc/self/task')) {
    const children = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
    if (children !== '') count += children.split(/\s+/).length;
  }
  return count;
}

/** Waits until `condition()` holds, polling; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Registers a check around every test of the calling file: this process's open fds and child
 * processes are the same after the test as before it.
 */
export function expectNoLeaksPerTest(): void {
  let fdsBefore = 0;
  let childrenBefore = 0;
  beforeEach(() => {
    fdsBefore = openFdCount();
    childrenBefore = childProcessCount();
  });
  afterEach(() => {
    expect(openFdCount()).toBe(fdsBefore);
    expect(childProcessCount()).toBe(childrenBefore);
  });
}
