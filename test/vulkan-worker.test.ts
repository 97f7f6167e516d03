import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { VulkanTextureHandle } from '../src/index.js';
import { firstMismatch, pattern } from './fixtures/vulkan-pattern.mjs';
import { fixture, openFdCount, openVulkan } from './vulkan-utils.js';

type WorkerMessage = { kind: 'handle'; handle: VulkanTextureHandle } | { kind: 'done'; mismatch: number; leftover: number };

describe('Vulkan managers on worker threads', () => {
  it('exchanges a texture between a worker’s manager and the main thread’s, both ways', async () => {
    const main = await openVulkan();
    const fdsBefore = openFdCount();
    const worker = new Worker(fixture('vulkan-worker.mjs'));
    // Listen for exit from the start: it can arrive together with the last message.
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const messages: WorkerMessage[] = [];
    const next = () =>
      new Promise<WorkerMessage>((resolve, reject) => {
        const queued = messages.shift();
        if (queued) return resolve(queued);
        worker.once('message', resolve);
        worker.once('error', reject);
      });

    const first = await next();
    expect(first.kind).toBe('handle');
    const { handle } = first as { handle: VulkanTextureHandle };
    const texture = main.importTexture(handle, { width: 128, height: 64, format: 'rgba16float', usage: ['copy-src', 'copy-dst'] });
    expect(firstMismatch(main.readTexture(texture), pattern('rgba16float', 128, 64, 11))).toBe(-1);
    main.writeTexture(texture, pattern('rgba16float', 128, 64, 12));
    worker.postMessage('written');

    const done = await next();
    expect(done).toEqual({ kind: 'done', mismatch: -1, leftover: 0 });
    expect(await exited).toBe(0);
    texture.release();
    expect(main.liveAllocationCount).toBe(0);
    expect(openFdCount()).toBe(fdsBefore);
    main.dispose();
  });

  it('frees a terminated worker’s device, textures and fds without any dispose call', async () => {
    const probe = await openVulkan();
    const cpuDevice = probe.capabilities().device.type === 'cpu';
    probe.dispose();
    const run = async () => {
      const worker = new Worker(fixture('vulkan-worker-abandon.mjs'));
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      const during = openFdCount();
      await worker.terminate();
      return during;
    };
    await run(); // first worker: one-time process-wide setup (thread pool, loader) happens here
    const fdsBefore = openFdCount();
    const during = await run();
    // lavapipe backs each exportable allocation with a memfd, so there the worker visibly held fds.
    if (cpuDevice) expect(during).toBeGreaterThan(fdsBefore);
    expect(openFdCount()).toBe(fdsBefore);
  });
});
