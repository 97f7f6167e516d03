import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GeyserError } from '../src/index.js';
import { native } from '../src/core/native.js';
import { childCount, deviceLabel, openFdCount, openVulkan, REQUIRE_GPU, startChannelChild } from './vulkan-utils.js';
import { rejectedGeyserError } from './helpers/geyser-errors.js';

const manager = await openVulkan();
const caps = manager.capabilities();
// GPU-only tests run where the device exports semaphores and fences (the NVIDIA machine). With
// GEYSER_REQUIRE_GPU=1 (npm run test:gpu) they run regardless, so a device without export fails
// them instead of skipping them.
const semaphoreExport = caps.semaphore.exportable || REQUIRE_GPU;
const fenceExport = caps.fence.exportable || REQUIRE_GPU;

afterAll(() => manager.dispose());

describe('Vulkan sync capability detection', () => {
  it('creates exportable semaphores and fences exactly where capabilities() says it can', () => {
    const tryCreate = (fn: () => { release(): void }) => {
      try {
        fn().release();
        return 'created';
      } catch (error) {
        expect(GeyserError.is(error, 'OperationNotSupported')).toBe(true);
        return (error as Error).message;
      }
    };
    const timeline = tryCreate(() => manager.createExportableSemaphore({ timeline: true }));
    expect(timeline === 'created').toBe(caps.semaphore.timeline);
    if (!caps.semaphore.exportable) expect(timeline).toMatch(/VK_KHR_external_semaphore_fd/);
    const fence = tryCreate(() => manager.createExportableFence());
    expect(fence === 'created').toBe(caps.fence.exportable);
    if (!caps.fence.exportable) expect(fence).toMatch(/VK_KHR_external_fence_fd/);
  });

  it.runIf(REQUIRE_GPU)('has exportable timeline semaphores and fences (GEYSER_REQUIRE_GPU=1)', () => {
    expect(caps.semaphore).toMatchObject({ exportable: true, timeline: true });
    expect(caps.semaphore.handleTypes).toContain('opaque-fd');
    expect(caps.fence.exportable).toBe(true);
  });
});

// Host and queue semantics are the same for a local semaphore (lavapipe too) and an exportable one
// (GPU only).
const KINDS = [
  ['a local timeline semaphore', true, (initialValue = 0) => manager.createLocalSemaphore({ initialValue })],
  ['an exportable timeline semaphore (GPU only)', semaphoreExport, (initialValue = 0) => manager.createExportableSemaphore({ timeline: true, initialValue })],
] as const;

describe.each(KINDS)('%s', (_name, enabled, create) => {
  it.runIf(enabled)('signals from the host and resolves waits off the JS thread', async () => {
    using semaphore = create(2);
    expect(semaphore.value).toBe(2);
    const waiting = semaphore.wait(5, 5000);
    setTimeout(() => semaphore.signal(5), 20);
    await waiting;
    expect(semaphore.value).toBe(5);
    expect(() => semaphore.signal(4)).toThrow('Expected integer greater than the current value 5 for value but received 4 of type number');
  });

  it.runIf(enabled)('rejects a wait that times out with Timeout, and one cut short by release with Released', async () => {
    const semaphore = create();
    const timeout = await rejectedGeyserError(semaphore.wait(1, 100));
    expect(timeout.code).toBe('Timeout');
    expect(timeout.message).toBe('semaphore wait for value 1 timed out after 100 ms');
    const cut = semaphore.wait(1);
    semaphore.release();
    const released = await rejectedGeyserError(cut);
    expect(released.code).toBe('Released');
    expect(released.message).toBe('the semaphore was released while waiting');
    expect(() => semaphore.value).toThrow('timeline semaphore has been released');
  });

  it.runIf(enabled)('orders GPU-side waits and signals on the queue', async () => {
    using semaphore = create();
    manager.submitWait(semaphore, 1);
    manager.submitSignal(semaphore, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(semaphore.value).toBe(0); // the signal is queued behind the wait
    semaphore.signal(1);
    await semaphore.wait(2, 5000);
    expect(semaphore.value).toBe(2);
  });

  it.runIf(enabled)('orders texture uploads after a GPU-side signal', async () => {
    using semaphore = create();
    using texture = manager.createShareableTexture({ width: 4, height: 4, format: 'r32uint', usage: ['copy-src', 'copy-dst'] });
    manager.writeTexture(texture, new Uint32Array(16).fill(9));
    manager.submitSignal(semaphore, 1); // after the upload completed on the queue
    await semaphore.wait(1, 5000);
    expect(manager.readTexture(texture)).toEqual(new Uint8Array(new Uint32Array(16).fill(9).buffer));
  });
});

describe('Vulkan timeline semaphores across processes (GPU only)', () => {
  it('refuses to export a local semaphore', () => {
    using semaphore = manager.createLocalSemaphore();
    expect(() => manager.exportSemaphore(semaphore)).toThrow('a local semaphore cannot be exported (create it with createExportableSemaphore)');
  });

  it.runIf(semaphoreExport)('exports and imports a semaphore; both sides see one counter', async () => {
    const other = await openVulkan();
    const fdsBefore = openFdCount(); // after the second device opened: the driver may keep its own fds
    const semaphore = manager.createExportableSemaphore({ timeline: true });
    const handle = manager.exportSemaphore(semaphore);
    expect(handle).toEqual({ backend: 'vulkan', kind: 'semaphore', rawHandle: expect.any(Number), handleType: 'opaque-fd', timeline: true });
    const imported = other.importSemaphore(handle);
    imported.signal(7);
    await semaphore.wait(7, 5000);
    imported.release();
    semaphore.release();
    expect(openFdCount()).toBe(fdsBefore);
    other.dispose();
  });

  // Binary semaphores as sync fds: a one-shot payload, exported after its signal was submitted.
  it.runIf(caps.semaphore.handleTypes.includes('sync-fd'))('passes a binary semaphore signal as a sync fd', async () => {
    const other = await openVulkan();
    const semaphore = manager.createExportableSemaphore({ timeline: false, handleType: 'sync-fd' });
    semaphore.signal(0); // an empty queue submission signals it
    const handle = manager.exportSemaphore(semaphore);
    expect(handle).toMatchObject({ kind: 'semaphore', handleType: 'sync-fd', timeline: false });
    const imported = other.importSemaphore(handle);
    await imported.wait(0, 5000); // a queue wait on the other device, then a fence the host waits on
    imported.release();
    semaphore.release();
    other.dispose();
  });

  it.runIf(semaphoreExport)('ping-pongs 1000 rounds between two processes with GPU-side waits and signals, checking every value', async () => {
    const rounds = 1000;
    const childrenBefore = childCount();
    const semaphore = manager.createExportableSemaphore({ timeline: true });
    const texture = manager.createShareableTexture({ width: 1, height: 1, format: 'r32uint', usage: ['copy-src', 'copy-dst'], label: 'counter' });
    manager.writeTexture(texture, new Uint32Array([0]));
    const semaphoreHandle = manager.exportSemaphore(semaphore);
    const textureHandle = manager.exportTexture(texture);
    const child = startChannelChild('vulkan-pingpong-child.mjs');
    await child.channel.send({ rounds }, [semaphoreHandle, textureHandle]);
    // The kernel duplicated the fds into the message: ours can go.
    manager.releaseTextureHandle(semaphoreHandle);
    manager.releaseTextureHandle(textureHandle);
    const errors: string[] = [];
    for (let i = 0; i < rounds; i++) {
      manager.submitWait(semaphore, 2 * i);
      const seen = readCounter(manager.readTexture(texture));
      if (seen !== 2 * i) errors.push(`round ${i}: expected ${2 * i}, read ${seen}`);
      manager.writeTexture(texture, new Uint32Array([2 * i + 1]));
      manager.submitSignal(semaphore, 2 * i + 1);
    }
    await semaphore.wait(2 * rounds, 10_000);
    const answer = await child.channel.receive();
    child.channel.close();
    const run = await child.done;
    expect(run.code, run.stderr).toBe(0);
    expect(answer.message).toEqual({ errors: [], errorCount: 0, final: 2 * rounds });
    expect(errors).toEqual([]);
    expect(semaphore.value).toBe(2 * rounds);
    texture.release();
    semaphore.release();
    expect(childCount()).toBe(childrenBefore);
  });
});

/** A regular file's fd: open, but no Vulkan object. */
function regularFileFd(): { fd: number; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'geyser-vk-sync-'));
  const path = join(dir, 'not-a-semaphore');
  writeFileSync(path, 'x');
  const fd = openSync(path, 'r');
  return { fd, cleanup: () => (closeSync(fd), rmSync(dir, { recursive: true })) };
}

const isFdOpen = (fd: number) => (native() as unknown as { isFdOpen(fd: number): boolean }).isFdOpen(fd);

describe('importing sync handles that are not what they claim', () => {
  // Where the device cannot import semaphores at all (lavapipe), the refusal comes first and
  // names the missing extension; the fd is not touched.
  it.runIf(!caps.semaphore.exportable)('refuses a semaphore import without the extension and leaves the fd open', () => {
    const file = regularFileFd();
    const fdsBefore = openFdCount();
    expect(() => manager.importSemaphore({ backend: 'vulkan', kind: 'semaphore', rawHandle: file.fd, handleType: 'opaque-fd', timeline: true })).toThrow(
      `${deviceLabel(manager)}: no VK_KHR_external_semaphore_fd (exportable semaphores need it)`,
    );
    expect(isFdOpen(file.fd)).toBe(true);
    expect(openFdCount()).toBe(fdsBefore);
    file.cleanup();
  });

  it.runIf(semaphoreExport)('refuses a regular file as a semaphore before the driver sees it, and the caller keeps the fd', () => {
    const file = regularFileFd();
    const fdsBefore = openFdCount();
    let error: unknown;
    try {
      manager.importSemaphore({ backend: 'vulkan', kind: 'semaphore', rawHandle: file.fd, handleType: 'opaque-fd', timeline: true });
    } catch (caught) {
      error = caught;
    }
    expect(GeyserError.is(error, 'InvalidTextureHandle')).toBe(true);
    // Refused before the driver: NVIDIA's driver stops creating objects after refusing a foreign fd.
    expect((error as GeyserError).message).toMatch(
      new RegExp(`^semaphore handle: fd ${file.fd} is a regular file \\(.*not-a-semaphore\\), not an opaque fd of this Vulkan driver \\(its opaque fds are .+\\)$`),
    );
    expect(isFdOpen(file.fd)).toBe(true);
    expect(openFdCount()).toBe(fdsBefore);
    file.cleanup();
  });

  it('refuses a closed fd before touching the driver', () => {
    const file = regularFileFd();
    file.cleanup();
    expect(() => manager.importFence({ backend: 'vulkan', kind: 'fence', rawHandle: file.fd, handleType: 'opaque-fd' })).toThrow(
      `handle.rawHandle (fd ${file.fd}) is not an open file descriptor`,
    );
  });
});

describe('Vulkan fences (GPU only)', () => {
  it.runIf(fenceExport)('signals through the queue, waits off-thread, resets, and times out', async () => {
    using fence = manager.createExportableFence();
    expect(fence.signaled).toBe(false);
    const timeout = await rejectedGeyserError(fence.wait(50));
    expect(timeout.code).toBe('Timeout');
    expect(timeout.message).toBe('fence wait timed out after 50 ms');
    fence.signal();
    await fence.wait(5000);
    expect(fence.signaled).toBe(true);
    fence.reset();
    expect(fence.signaled).toBe(false);
  });

  it.runIf(fenceExport)('is exported by one process and waited on by another', async () => {
    const fdsBefore = openFdCount();
    const fence = manager.createExportableFence();
    const handle = manager.exportFence(fence);
    expect(handle).toEqual({ backend: 'vulkan', kind: 'fence', rawHandle: expect.any(Number), handleType: 'opaque-fd' });
    const child = startChannelChild('vulkan-fence-child.mjs');
    await child.channel.send({}, [handle]);
    manager.releaseTextureHandle(handle);
    expect((await child.channel.receive()).message).toEqual({ kind: 'waiting', before: false });
    fence.signal();
    expect((await child.channel.receive()).message).toEqual({ kind: 'result', outcome: 'signaled', after: true });
    child.channel.close();
    const run = await child.done;
    expect(run.code, run.stderr).toBe(0);
    expect(fence.signaled).toBe(true);
    fence.release();
    expect(openFdCount()).toBe(fdsBefore);
  });
});

/** The little-endian u32 in the first four bytes of a readback. */
function readCounter(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
}
