// Shared helpers for the Vulkan test files: leak counters and real child processes.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTextureShareManager, ShareChannel, VulkanTextureShareManager } from '../src/index.js';

/** Open fds of this process. */
export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}

/** Live child processes of this process (all threads). */
export function childCount(): number {
  let count = 0;
  for (const task of readdirSync('/proc/self/task')) {
    try {
      count += readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean).length;
    } catch {
      // the thread exited while we looked
    }
  }
  return count;
}

/** Absolute path of a fixture. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

/** Result of a child process run to completion. */
export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `node fixture args...` with `fds` inherited as its fds 3, 4, ...; `onLine` sees each
 * stdout line as it arrives.
 */
export function runChild(name: string, args: string[], fds: number[], onLine?: (line: string) => void): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture(name), ...args], { stdio: ['ignore', 'pipe', 'pipe', ...fds] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        onLine?.(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The last JSON line a child printed. */
export function lastJson<T>(run: ChildRun): T {
  const lines = run.stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]!) as T;
  } catch {
    throw new Error(`child printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

/** A Vulkan manager (lavapipe here, the GPU on the NVIDIA machine). */
export async function openVulkan(): Promise<VulkanTextureShareManager> {
  return (await createTextureShareManager({ backend: 'vulkan' })) as VulkanTextureShareManager;
}

/** GEYSER_REQUIRE_GPU=1 (scripts/test-gpu.sh) turns GPU-only skips into failures. */
export const REQUIRE_GPU = process.env.GEYSER_REQUIRE_GPU === '1';

/** How messages name a device: "GPU 0 (llvmpipe)" (the name without its parenthesized suffix). */
export function deviceLabel(manager: VulkanTextureShareManager): string {
  const { index, name } = manager.capabilities().device;
  return `GPU ${index} (${name.split(' (')[0]})`;
}

/** A child process whose link to us is a ShareChannel at its fd 3, and its eventual outcome. */
export interface ChannelChild {
  channel: ShareChannel;
  done: Promise<ChildRun>;
}

/** Spawns `node fixture args...` with one end of a ShareChannel pair as its fd 3. */
export function startChannelChild(name: string, args: string[] = []): ChannelChild {
  const [channel, forChild] = ShareChannel.pair({ label: `parent of ${name}` });
  const done = runChild(name, args, [forChild.fd]);
  forChild.close(); // spawn() duplicated it into the child
  return { channel, done };
}
