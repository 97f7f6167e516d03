// Shared helpers of the pipeline tests: leak counters, error capture, a shared host context.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createPipelineContext, createTextureShareManager, GeyserError, type PipelineContext, type TextureShareManager } from '../src/index.js';

/** Open fds of this process. */
export function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Pids of this process's live children (every thread's children file). */
export function childPids(): number[] {
  return childrenOf(process.pid);
}

/** Pids of the children of `pid` (every thread's children file). */
export function childrenOf(pid: number): number[] {
  const pids: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    if (text) pids.push(...text.split(/\s+/).map(Number));
  }
  return pids;
}

/** True while `pid` runs (not exited, not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** A fixture module's URL. */
export function fixtureUrl(name: string): URL {
  return new URL(`./fixtures/${name}`, import.meta.url);
}

/** The fixture's path (for spawning). */
export function fixturePath(name: string): string {
  return fileURLToPath(fixtureUrl(name));
}

/** What `fn` throws (fails the test if it does not). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** What `promise` rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A matcher for a GeyserError of `code` with exactly `message`. */
export function geyserError(code: string, message: string | RegExp): object {
  return { name: 'GeyserError', code, message: typeof message === 'string' ? message : expectStringMatching(message) };
}

function expectStringMatching(pattern: RegExp): unknown {
  return { asymmetricMatch: (actual: unknown) => typeof actual === 'string' && pattern.test(actual), toString: () => `StringMatching ${pattern}` };
}

export { GeyserError };

/**
 * Registers, for the calling test file, one host-backend manager and pipeline context shared by its
 * tests: made before the first (and handed to `receive`), disposed after the last, when this
 * process's fd count must be back where it started.
 */
export function withHostContext(receive: (manager: TextureShareManager, context: PipelineContext) => void): void {
  let manager: TextureShareManager | undefined;
  let context: PipelineContext | undefined;
  let fdsBefore = 0;
  beforeAll(async () => {
    fdsBefore = fdCount();
    manager = await createTextureShareManager({ backend: 'host' });
    context = await createPipelineContext({ manager });
    receive(manager, context);
  });
  afterAll(() => {
    context?.dispose();
    manager?.dispose();
    expect(fdCount()).toBe(fdsBefore);
  });
}

/**
 * Registers a check around every test of the calling file: once the test (and its pipeline's
 * `done`) settled, this process has the same children, by pid, and the same number of open fds.
 */
export function expectNoOrphansPerTest(): void {
  let fdsBefore = 0;
  let childrenBefore: number[] = [];
  beforeEach(() => {
    fdsBefore = fdCount();
    childrenBefore = childPids();
  });
  afterEach(() => {
    expect(childPids()).toEqual(childrenBefore);
    expect(fdCount()).toBe(fdsBefore);
  });
}

