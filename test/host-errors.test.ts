import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_FORMATS, createTextureShareManager, liveHandleCount, type HostTextureHandle, type HostTextureShareManager, type TextureDescriptor } from '../src/index.js';
import { fdCount, fixture, geyserError, rejection, thrown } from './host-helpers.js';

const good: TextureDescriptor = { width: 16, height: 16, format: 'rgba8unorm', usage: ['copy-src', 'copy-dst'], label: 'cam0' };
let manager: HostTextureShareManager;
let scratch: string;
let fdsBefore: number;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'geyser-host-errors-'));
  fdsBefore = fdCount();
  manager = (await createTextureShareManager({ backend: 'host' })) as HostTextureShareManager;
});

afterAll(() => {
  manager.dispose();
  // Every group below leaves the fd count as it found it, including failed imports.
  expect(fdCount()).toBe(fdsBefore);
  expect(liveHandleCount()).toBe(0);
  rmSync(scratch, { recursive: true, force: true });
});

/** A texture handle for `fd`, claiming to be `good` (or `descriptor`). */
function forgedHandle(fd: number, descriptor: TextureDescriptor = good): HostTextureHandle {
  return { backend: 'host', kind: 'texture', rawHandle: fd, handleType: 'memfd', size: descriptor.width * descriptor.height * 4, width: descriptor.width, height: descriptor.height, format: descriptor.format };
}

describe('bad descriptors', () => {
  it.each([
    [{ ...good, width: 0 }, 'InvalidDescriptor', 'Expected integer between 1 and 16384 for descriptor.width but received 0 of type number'],
    [{ ...good, width: 1 << 20 }, 'InvalidDescriptor', 'Expected integer between 1 and 16384 for descriptor.width but received 1048576 of type number'],
    [{ ...good, height: -3 }, 'InvalidDescriptor', 'Expected integer between 1 and 16384 for descriptor.height but received -3 of type number'],
    [
      { ...good, format: 'rgb8unorm' },
      'InvalidDescriptor',
      `Expected one of the 21 texture formats (${ALL_FORMATS.join(', ')}) for descriptor.format but received 'rgb8unorm' of type string`,
    ],
    [
      { ...good, usage: ['copy-src', 'sampled'] },
      'InvalidDescriptor',
      "Expected one of copy-src, copy-dst, texture-binding, render-attachment, storage-binding for descriptor.usage[1] but received 'sampled' of type string",
    ],
    [
      { ...good, format: 'depth24plus' },
      'FormatNotSupported',
      'depth24plus is not supported by the host backend: its memory layout is implementation-defined (as in WebGPU), so it has no CPU byte layout to share; use depth32float',
    ],
    [
      { ...good, format: 'depth24plus-stencil8' },
      'FormatNotSupported',
      'depth24plus-stencil8 is not supported by the host backend: its memory layout is implementation-defined (as in WebGPU), so it has no CPU byte layout to share; use depth32float',
    ],
  ])('createShareableTexture(%o) throws %s', (descriptor, code, message) => {
    expect(thrown(() => manager.createShareableTexture(descriptor as TextureDescriptor))).toMatchObject(geyserError(code, message));
  });

  it('writeTexture names both byte counts', () => {
    const texture = manager.createShareableTexture({ ...good, width: 4, height: 4 });
    expect(thrown(() => manager.writeTexture(texture, new Uint8Array(10)))).toMatchObject(
      geyserError('InvalidDescriptor', "Expected 64 bytes (4 x 4 x 4 bytes per texel of rgba8unorm) for data of texture 'cam0' but received 10 bytes"),
    );
    texture.release();
  });
});

describe('forged texture handles (the caller still owns the fd after a failed import)', () => {
  it('a closed fd', () => {
    const texture = manager.createShareableTexture(good);
    const handle = manager.exportTexture(texture) as HostTextureHandle;
    const copy = { ...handle };
    manager.releaseTextureHandle(handle);
    expect(thrown(() => manager.importTexture(copy, good))).toMatchObject(geyserError('InvalidTextureHandle', `fd ${copy.rawHandle} is not open`));
    texture.release();
  });

  it('an fd of a regular file', () => {
    const path = join(scratch, 'not-a-memfd.bin');
    writeFileSync(path, Buffer.alloc(4096));
    const fd = openSync(path, 'r+');
    expect(thrown(() => manager.importTexture(forgedHandle(fd), good))).toMatchObject(geyserError('InvalidTextureHandle', `fd ${fd} is a regular file, not a memfd`));
    closeSync(fd); // still ours: would throw EBADF had the import closed it
  });

  it('a pipe', () => {
    const fifo = join(scratch, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const fd = openSync(fifo, 'r+'); // O_RDWR on a FIFO opens without waiting for a peer (Linux)
    expect(thrown(() => manager.importTexture(forgedHandle(fd), good))).toMatchObject(geyserError('InvalidTextureHandle', `fd ${fd} is a pipe, not a memfd`));
    closeSync(fd);
  });

  it('a memfd too small for the descriptor', () => {
    const small = manager.createShareableTexture(good);
    const handle = manager.exportTexture(small) as HostTextureHandle;
    const big = { ...good, width: 1920, height: 1080 };
    expect(thrown(() => manager.importTexture(forgedHandle(handle.rawHandle, big), big))).toMatchObject(
      geyserError('InvalidTextureHandle', `fd ${handle.rawHandle} (geyser-texture memfd) holds 1024 bytes, too small for the 8294400 bytes expected`),
    );
    manager.releaseTextureHandle(handle); // the failed import left it live and ours
    small.release();
  });

  it('a semaphore memfd given as a texture, and the reverse', () => {
    const semaphore = manager.createExportableSemaphore();
    const semaphoreHandle = manager.exportSemaphore(semaphore);
    expect(thrown(() => manager.importTexture(forgedHandle(semaphoreHandle.rawHandle), good))).toMatchObject(
      geyserError('InvalidTextureHandle', `fd ${semaphoreHandle.rawHandle} is a geyser-semaphore memfd, not a texture`),
    );
    const texture = manager.createShareableTexture(good);
    const textureHandle = manager.exportTexture(texture);
    expect(thrown(() => manager.importSemaphore({ backend: 'host', kind: 'semaphore', rawHandle: textureHandle.rawHandle as number, handleType: 'memfd', timeline: true }))).toMatchObject(
      geyserError('InvalidTextureHandle', `fd ${textureHandle.rawHandle} is a geyser-texture memfd, not a semaphore`),
    );
    manager.releaseTextureHandle(semaphoreHandle);
    manager.releaseTextureHandle(textureHandle);
    semaphore.release();
    texture.release();
  });

  it('a fence given as a semaphore, and a binary semaphore given as a timeline one', () => {
    const fence = manager.createExportableFence();
    const fenceHandle = manager.exportFence(fence);
    expect(thrown(() => manager.importSemaphore({ ...fenceHandle, kind: 'semaphore', timeline: true }))).toMatchObject(
      geyserError('InvalidTextureHandle', `fd ${fenceHandle.rawHandle} is a geyser-fence memfd, not a semaphore`),
    );
    const binary = manager.createExportableSemaphore({ timeline: false });
    const binaryHandle = manager.exportSemaphore(binary);
    expect(thrown(() => manager.importSemaphore({ ...binaryHandle, timeline: true }))).toMatchObject(
      geyserError('InvalidTextureHandle', `fd ${binaryHandle.rawHandle} holds a binary semaphore, not a timeline semaphore`),
    );
    manager.releaseTextureHandle(fenceHandle);
    manager.releaseTextureHandle(binaryHandle);
    fence.release();
    binary.release();
  });

  it.each([
    [{ ...forgedHandle(0), backend: 'vulkan' }, good, 'InvalidTextureHandle', "Expected 'host' for handle.backend but received 'vulkan' of type string"],
    [{ ...forgedHandle(0), kind: 'fence' }, good, 'InvalidTextureHandle', "Expected 'texture' for handle.kind but received 'fence' of type string"],
    [forgedHandle(-1), good, 'InvalidTextureHandle', 'Expected integer between 0 and 2147483647 for handle.rawHandle but received -1 of type number'],
    [{ ...forgedHandle(0), handleType: 'opaque-fd' }, good, 'InvalidTextureHandle', "Expected 'memfd' for handle.handleType but received 'opaque-fd' of type string"],
    [forgedHandle(0), { ...good, width: 32 }, 'InvalidDescriptor', 'handle describes a 16x16 rgba8unorm texture but the descriptor asks for 32x16 rgba8unorm'],
    [{ ...forgedHandle(0), size: 5 }, good, 'InvalidTextureHandle', 'Expected 1024 (a 16x16 rgba8unorm texture, tightly packed) for handle.size but received 5 of type number'],
  ])('a handle %o fails its shape check before any native call', (handle, descriptor, code, message) => {
    expect(thrown(() => manager.importTexture(handle as HostTextureHandle, descriptor))).toMatchObject(geyserError(code, message));
  });
});

describe('handle lifetime', () => {
  it('refuses a stale handle after release, and a double release', () => {
    const texture = manager.createShareableTexture(good);
    const handle = manager.exportTexture(texture) as HostTextureHandle;
    manager.releaseTextureHandle(handle);
    const message = `texture handle (fd ${handle.rawHandle}) is not live in this process: it was already released, consumed by an import, or never exported here`;
    expect(thrown(() => manager.releaseTextureHandle(handle))).toMatchObject(geyserError('InvalidTextureHandle', message));
    expect(thrown(() => manager.releaseTextureHandle({ ...handle }))).toMatchObject(geyserError('InvalidTextureHandle', message));
    texture.release();
  });

  it('refuses to release a handle an import consumed', () => {
    const texture = manager.createShareableTexture(good);
    const handle = manager.exportTexture(texture) as HostTextureHandle;
    const imported = manager.importTexture(handle, good);
    expect(thrown(() => manager.releaseTextureHandle(handle))).toMatchObject(
      geyserError('InvalidTextureHandle', `texture handle (fd ${handle.rawHandle}) is not live in this process: it was already released, consumed by an import, or never exported here`),
    );
    imported.release();
    texture.release();
  });
});

describe('use after release and dispose', () => {
  it('a released texture throws Released naming its label, and release is idempotent', () => {
    const texture = manager.createShareableTexture(good);
    const view = manager.mapTexture(texture);
    expect(view.byteLength).toBe(1024);
    texture.release();
    texture.release();
    expect(texture.released).toBe(true);
    expect(view.byteLength).toBe(0); // detached, not dangling
    const released = geyserError('Released', "texture 'cam0' has been released");
    expect(thrown(() => manager.readTexture(texture))).toMatchObject(released);
    expect(thrown(() => manager.writeTexture(texture, new Uint8Array(1024)))).toMatchObject(released);
    expect(thrown(() => manager.mapTexture(texture))).toMatchObject(released);
    expect(thrown(() => manager.exportTexture(texture))).toMatchObject(released);
    const unlabeled = manager.createShareableTexture({ ...good, label: undefined });
    unlabeled[Symbol.dispose]();
    expect(thrown(() => manager.readTexture(unlabeled))).toMatchObject(geyserError('Released', 'texture 16x16 rgba8unorm has been released'));
  });

  it('released sync objects throw Released', async () => {
    const semaphore = manager.createExportableSemaphore();
    const fence = manager.createExportableFence();
    semaphore.release();
    semaphore.release();
    fence.release();
    fence.release();
    expect(thrown(() => semaphore.signal(1))).toMatchObject(geyserError('Released', 'the timeline semaphore has been released'));
    expect(thrown(() => semaphore.value)).toMatchObject(geyserError('Released', 'the timeline semaphore has been released'));
    expect(await rejection(semaphore.wait(1))).toMatchObject(geyserError('Released', 'the timeline semaphore has been released'));
    expect(thrown(() => fence.signal())).toMatchObject(geyserError('Released', 'the fence has been released'));
    expect(await rejection(fence.wait())).toMatchObject(geyserError('Released', 'the fence has been released'));
    expect(thrown(() => manager.exportFence(fence))).toMatchObject(geyserError('Released', 'the fence has been released'));
  });

  it('dispose twice is fine; afterwards the manager and everything it made throw Released', async () => {
    const other = (await createTextureShareManager({ backend: 'host' })) as HostTextureShareManager;
    const texture = other.createShareableTexture(good);
    const semaphore = other.createExportableSemaphore();
    other.dispose();
    other[Symbol.dispose]();
    expect(other.disposed).toBe(true);
    expect([texture.released, semaphore.released]).toEqual([true, true]);
    const disposed = geyserError('Released', 'the host texture share manager has been disposed');
    expect(thrown(() => other.createShareableTexture(good))).toMatchObject(disposed);
    expect(thrown(() => other.readTexture(texture))).toMatchObject(disposed);
    expect(thrown(() => other.capabilities())).toMatchObject(disposed);
    expect(thrown(() => manager.readTexture(texture))).toMatchObject(geyserError('Released', "texture 'cam0' has been released"));
  });
});

describe('bad sync arguments', () => {
  it('a timeline semaphore only grows, and a wait times out naming both values', async () => {
    const semaphore = manager.createExportableSemaphore({ initialValue: 2 });
    semaphore.signal(3);
    expect(thrown(() => semaphore.signal(3))).toMatchObject(geyserError('InvalidDescriptor', 'a timeline semaphore only grows: cannot signal 3 when its value is already 3'));
    expect(thrown(() => semaphore.signal(-1))).toMatchObject(geyserError('Other', 'Expected integer between 1 and 9007199254740991 for value but received -1 of type number'));
    expect(thrown(() => semaphore.signal(1.5))).toMatchObject(geyserError('Other', 'Expected integer between 1 and 9007199254740991 for value but received 1.5 of type number'));
    expect(await rejection(semaphore.wait(5, 20))).toMatchObject(geyserError('Timeout', 'timed out after 20 ms waiting for the timeline semaphore to reach 5; its value is 3'));
    expect(await rejection(semaphore.wait(5, -1))).toMatchObject(geyserError('Other', 'Expected integer between 0 and 2147483647 for timeoutMs but received -1 of type number'));
    expect(thrown(() => manager.createExportableSemaphore({ timeline: false, initialValue: 2 }))).toMatchObject(
      geyserError('Other', 'Expected 0 or 1 (a binary semaphore) for options.initialValue but received 2 of type number'),
    );
    expect(thrown(() => manager.createExportableSemaphore({ timelin: true } as never))).toMatchObject({
      name: 'TypeError',
      message: "Unknown option 'timelin' for createExportableSemaphore; expected one of: timeline, initialValue",
    });
    semaphore.release();
  });
});

describe('forged memfds made by another program', () => {
  const python = spawnSync('python3', ['-c', 'import os; os.memfd_create'], { stdio: 'ignore' }).status === 0;
  // Node cannot create a memfd itself; python3 (which node-gyp needs anyway) makes the forged ones.
  it.skipIf(!python)('refuses an unsealed memfd, a foreign memfd and a sync memfd without a header, leaving each fd to the caller', () => {
    const fdsBeforeChild = fdCount();
    const output = execFileSync('python3', [fixture('host-forged-memfds.py'), process.execPath, fixture('host-forged-import.mjs')], { encoding: 'utf8' });
    const report = JSON.parse(output) as { fds: Record<string, number>; unsealed: string; foreign: string; garbage: string; stillOpen: boolean[] };
    const { unsealed, foreign, garbage } = report.fds;
    expect(report).toEqual({
      fds: report.fds,
      unsealed: `InvalidTextureHandle: fd ${unsealed} (geyser-texture memfd) is not sealed against shrinking and growing, so a peer could truncate it`,
      foreign: `InvalidTextureHandle: fd ${foreign} is a memfd named 'other-app', not a geyser texture`,
      garbage: `InvalidTextureHandle: fd ${garbage} has no geyser sync header (magic 0)`,
      stillOpen: [true, true, true],
    });
    expect(fdCount()).toBe(fdsBeforeChild);
  });
});
