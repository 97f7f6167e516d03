import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createTextureShareManager, type HostTextureHandle, type HostTextureShareManager, type SemaphoreHandle } from '../src/index.js';
import { fillPattern, firstMismatch, pattern } from './fixtures/host-pattern.mjs';
import { fdCount, fixture } from './host-helpers.js';

describe('host backend with worker_threads', () => {
  it('imports on the main thread a texture and a semaphore that a worker created and exported', async () => {
    const fdsBefore = fdCount();
    const [width, height, seed, newSeed] = [640, 360, 11, 12];
    const worker = new Worker(fixture('host-worker.mjs'), { workerData: { mode: 'share', width, height, seed, newSeed } });
    const [handles] = (await once(worker, 'message')) as [{ texture: HostTextureHandle; semaphore: SemaphoreHandle }];
    const manager = (await createTextureShareManager({ backend: 'host' })) as HostTextureShareManager;
    const texture = manager.importTexture(handles.texture, { width, height, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'] });
    const semaphore = manager.importSemaphore(handles.semaphore);
    expect(firstMismatch(manager.readTexture(texture), pattern(width * height * 4, seed))).toBe(-1);
    fillPattern(manager.mapTexture(texture), newSeed);
    semaphore.signal(1);
    await semaphore.wait(2, 10_000); // the worker checked our write through its own mapping
    const [report] = (await once(worker, 'message')) as [{ mismatch: number }];
    expect(report).toEqual({ mismatch: -1 });
    expect(await once(worker, 'exit')).toEqual([0]);
    manager.dispose();
    expect(fdCount()).toBe(fdsBefore);
  });

  it('survives terminating a worker whose semaphore wait is pending', async () => {
    const fdsBefore = fdCount();
    const worker = new Worker(fixture('host-worker.mjs'), { workerData: { mode: 'hang' } });
    expect(await once(worker, 'message')).toEqual([{ waiting: true }]);
    await worker.terminate();
    // A second worker after the first is gone: the per-thread addon state starts fresh.
    const again = new Worker(fixture('host-worker.mjs'), { workerData: { mode: 'hang' } });
    expect(await once(again, 'message')).toEqual([{ waiting: true }]);
    await again.terminate();
    expect(fdCount()).toBe(fdsBefore);
  });
});
