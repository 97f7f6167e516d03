// Shared by the channel tests: real fds wrapped as handles, and leak counters.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackHandle } from '../src/core/handles.js';
import { native } from '../src/core/native.js';
import type { HostTextureHandle } from '../src/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Open fds of this process. */
export function fdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Live child processes of this process. */
export function childPids(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const text = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim();
    if (text) pids.push(...text.split(/\s+/).map(Number));
  }
  return pids;
}

/** A temp directory removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'geyser-ch-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real file with `content`, opened, wrapped as a tracked host texture handle. */
export function fileHandle(dir: string, name: string, content: string): HostTextureHandle {
  const path = join(dir, name);
  writeFileSync(path, content);
  const fd = openSync(path, 'r');
  return trackHandle({ backend: 'host', kind: 'texture', rawHandle: fd, handleType: 'memfd', size: content.length, width: content.length / 4, height: 1, format: 'rgba8unorm' });
}

/** Reads `size` bytes from offset 0 through an fd (pread: the shared file offset is not touched). */
export function readThroughFd(fd: number, size: number): string {
  const buffer = Buffer.alloc(size);
  const n = readSync(fd, buffer, 0, size, 0);
  return buffer.subarray(0, n).toString();
}

/** Whether fd is open in this process (fcntl, so no directory fd takes its number meanwhile). */
export function isOpen(fd: number): boolean {
  return (native().isFdOpen as (fd: number) => boolean)(fd);
}

/** Spawns `node fixture args` with `extraFd` at stdio[3] when given. */
export function spawnFixture(fixture: string, args: string[], extraFd?: number): ChildProcess {
  const stdio: ('ignore' | 'inherit' | 'pipe' | number)[] = ['ignore', 'pipe', 'inherit'];
  if (extraFd !== undefined) stdio.push(extraFd);
  return spawn(process.execPath, [join(FIXTURES, fixture), ...args], { stdio });
}

/** Resolves with the exit code/signal once the child is gone and its stdio pipes are closed. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const closed = child.stdout === null ? child.exitCode !== null || child.signalCode !== null : child.stdout.closed;
  if (closed && (child.exitCode !== null || child.signalCode !== null)) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
}

/** Closes a plain fd (test-owned, not a handle). */
export function closeFd(fd: number): void {
  closeSync(fd);
}
