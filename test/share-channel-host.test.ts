// The host backend and ShareChannel together: textures and semaphores of the host backend cross
// between two OS processes through a ShareChannel (SCM_RIGHTS), never through inherited fds.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_FORMATS,
  createTextureShareManager,
  formatInfo,
  liveHandleCount,
  releaseReceivedHandles,
  ShareChannel,
  type ExportedHandle,
  type HostTextureHandle,
  type HostTextureShareManager,
  type TextureFormat,
} from '../src/index.js';
import { childPids, exited, FIXTURES, fdCount } from './channel-helpers.js';
import { fillPattern, firstMismatch, pattern } from './fixtures/host-pattern.mjs';
import { geyserError, thrown } from './host-helpers.js';

const WIDTH = 1920;
const HEIGHT = 1080;
const SHAREABLE = ALL_FORMATS.filter((format) => formatInfo(format).copyable);
const USAGE = ['copy-src', 'copy-dst'] as const;

let fdsBefore: number;
let childrenBefore: number[];
let handlesBefore: number;
let manager: HostTextureShareManager;

beforeEach(async () => {
  fdsBefore = fdCount();
  childrenBefore = childPids();
  handlesBefore = liveHandleCount();
  manager = (await createTextureShareManager({ backend: 'host' })) as HostTextureShareManager;
});

afterEach(() => {
  manager.dispose();
  expect(liveHandleCount()).toBe(handlesBefore);
  expect(fdCount()).toBe(fdsBefore);
  expect(childPids()).toEqual(childrenBefore);
});

interface Child {
  channel: ShareChannel;
  process: ChildProcess;
}

/** A child process whose only link to us is a ShareChannel at its fd 3. */
function startChild(): Child {
  const [channel, forChild] = ShareChannel.pair({ label: 'parent' });
  const child = spawn(process.execPath, [`${FIXTURES}channel-host-child.mjs`], { stdio: ['ignore', 'inherit', 'inherit', forChild.fd] });
  forChild.close();
  return { channel, process: child };
}

/** Closing our end ends the child's receive loop; it must then exit cleanly. */
async function stopChild(child: Child): Promise<void> {
  child.channel.close();
  expect(await exited(child.process)).toEqual({ code: 0, signal: null });
}

/** Sends a request with handles, releases our copies of the handles, and returns the answer. */
async function ask(child: Child, request: Record<string, unknown>, handles: ExportedHandle[]): Promise<Record<string, unknown>> {
  await child.channel.send(request, handles);
  // The kernel duplicated the fds into the packet: ours can go now.
  for (const handle of handles) manager.releaseTextureHandle(handle);
  return (await child.channel.receive()).message as Record<string, unknown>;
}

/** Textures filled with pattern(seed), each with a mapTexture view taken before anything is sent. */
function sharedTextures(formats: readonly TextureFormat[]) {
  return formats.map((format, index) => {
    const texture = manager.createShareableTexture({ width: WIDTH, height: HEIGHT, format, usage: [...USAGE], label: format });
    const view = manager.mapTexture(texture);
    fillPattern(view, 100 + index);
    return { format, texture, view, handle: manager.exportTexture(texture), seed: 100 + index, writeSeed: 900 + index };
  });
}

/** The round trip of the texture tests: the child checks every byte and writes a new pattern. */
async function shareThroughChannel(formats: readonly TextureFormat[]): Promise<void> {
  const child = startChild();
  const shared = sharedTextures(formats);
  const request = { op: 'textures', textures: shared.map(({ format, seed, writeSeed }) => ({ width: WIDTH, height: HEIGHT, format, seed, writeSeed })) };
  const answer = await ask(child, request, shared.map((entry) => entry.handle));
  // Every received handle was consumed by an import in the child: none left live there.
  expect(answer).toEqual({ op: 'textures', mismatches: formats.map(() => -1), liveHandles: 0 });
  for (const entry of shared) {
    // The view was taken before the send and never refreshed: the child's write landed in our memory.
    const expected = pattern(entry.view.byteLength, entry.writeSeed);
    expect(firstMismatch(entry.view, expected), `${entry.format} mapped view`).toBe(-1);
    entry.texture.release();
  }
  await stopChild(child);
}

describe('host textures through a ShareChannel between two OS processes', () => {
  it('shares a 1920x1080 rgba8unorm texture: the child reads every byte, its write reaches our mapped view', async () => {
    await shareThroughChannel(['rgba8unorm']);
  });

  it('shares a 1920x1080 texture of every format the host backend supports, all in one message', async () => {
    expect(Object.keys(manager.capabilities().formats).sort()).toEqual([...SHAREABLE].sort());
    expect(SHAREABLE).toHaveLength(19);
    await shareThroughChannel(SHAREABLE);
  });

  it('ping-pongs a timeline semaphore whose handle crossed the channel, 1,000 rounds, each value checked on both sides', async () => {
    const child = startChild();
    const semaphore = manager.createExportableSemaphore({ timeline: true });
    const handle = manager.exportSemaphore(semaphore);
    await child.channel.send({ op: 'pingpong', rounds: 1000 }, [handle]);
    // The send resolved: the kernel holds its own reference, ours can go.
    manager.releaseTextureHandle(handle);
    const errors: string[] = [];
    const answered = child.channel.receive();
    for (let round = 1; round <= 1000; round++) {
      const odd = 2 * round - 1;
      semaphore.signal(odd);
      await semaphore.wait(odd + 1, 10_000);
      if (semaphore.value !== odd + 1) errors.push(`round ${round}: expected ${odd + 1}, saw ${semaphore.value}`);
    }
    expect(errors).toEqual([]);
    expect((await answered).message).toEqual({ op: 'pingpong', observed: 1000, errors: [] });
    expect(semaphore.value).toBe(2000);
    semaphore.release();
    await stopChild(child);
  });

  it('lets the receiver free handles it never imports, with releaseReceivedHandles and manager.releaseTextureHandle', async () => {
    const child = startChild();
    const textures = [0, 1, 2].map(() => manager.createShareableTexture({ width: 64, height: 64, format: 'rgba8unorm', usage: [...USAGE] }));
    const semaphore = manager.createExportableSemaphore();
    const fence = manager.createExportableFence();
    const handles = [...textures.map((texture) => manager.exportTexture(texture)), manager.exportSemaphore(semaphore), manager.exportFence(fence)];
    // Once the child answered this, nothing else is in flight: its fd count is its baseline.
    const { fds: baseline } = (await ask(child, { op: 'count' }, [])) as { fds: number };
    const answer = (await ask(child, { op: 'discard' }, handles)) as { fdsHolding: number; fdsAfterRelease: number; liveHandles: number };
    expect({ received: answer.fdsHolding - baseline, leftAfterRelease: answer.fdsAfterRelease - baseline, liveHandles: answer.liveHandles }).toEqual({
      received: 5,
      leftAfterRelease: 0,
      liveHandles: 0,
    });
    for (const texture of textures) texture.release();
    semaphore.release();
    fence.release();
    await stopChild(child);
  });
});

describe('host handles received through a ShareChannel in this process', () => {
  const descriptor = { width: 16, height: 16, format: 'rgba8unorm', usage: [...USAGE] } as const;

  /** A texture, exported, sent through a pair and received: the received handle is a new fd. */
  async function received() {
    const [a, b] = ShareChannel.pair({ label: 'loop' });
    const texture = manager.createShareableTexture({ ...descriptor, label: 'cam0' });
    fillPattern(manager.mapTexture(texture), 7);
    const sent = manager.exportTexture(texture);
    await a.send({ slot: 0 }, [sent]);
    manager.releaseTextureHandle(sent);
    const { handles } = await b.receive();
    return { a, b, texture, handle: handles[0] as HostTextureHandle };
  }

  it('consumes a received handle on import: releasing it afterwards throws instead of closing a reused fd', async () => {
    const { a, b, texture, handle } = await received();
    const imported = manager.importTexture(handle, descriptor);
    expect(firstMismatch(manager.readTexture(imported), pattern(16 * 16 * 4, 7))).toBe(-1);
    const notLive = `texture handle (fd ${handle.rawHandle}) is not live in this process: it was already released, consumed by an import, or never exported here`;
    expect(thrown(() => releaseReceivedHandles([handle]))).toMatchObject(geyserError('InvalidTextureHandle', notLive));
    expect(thrown(() => manager.releaseTextureHandle(handle))).toMatchObject(geyserError('InvalidTextureHandle', notLive));
    await expect(a.send({ again: true }, [handle])).rejects.toMatchObject({ code: 'InvalidTextureHandle' });
    imported.release();
    texture.release();
    a.close();
    b.close();
  });

  it('refuses to import a received handle that was already released, even once its fd number is reused', async () => {
    const { a, b, texture, handle } = await received();
    releaseReceivedHandles([handle]);
    // The kernel hands the freed number to the next fd: here, a new export of the same texture.
    const reuse = manager.exportTexture(texture);
    expect(reuse.rawHandle).toBe(handle.rawHandle);
    const message = `texture handle (fd ${handle.rawHandle}) is not live in this process: it was already released or consumed by an import`;
    expect(thrown(() => manager.importTexture(handle, descriptor))).toMatchObject(geyserError('InvalidTextureHandle', message));
    // The new export still owns its fd.
    manager.releaseTextureHandle(reuse);
    texture.release();
    a.close();
    b.close();
  });

  it('refuses to import a received semaphore or fence handle twice', async () => {
    const [a, b] = ShareChannel.pair({ label: 'sync' });
    const semaphore = manager.createExportableSemaphore();
    const fence = manager.createExportableFence();
    const sent = [manager.exportSemaphore(semaphore), manager.exportFence(fence)];
    await a.send({}, sent);
    for (const handle of sent) manager.releaseTextureHandle(handle);
    const { handles } = await b.receive();
    const [semaphoreHandle, fenceHandle] = handles as [Parameters<typeof manager.importSemaphore>[0], Parameters<typeof manager.importFence>[0]];
    const importedSemaphore = manager.importSemaphore(semaphoreHandle);
    const importedFence = manager.importFence(fenceHandle);
    const consumed = (kind: string, fd: number) => `${kind} handle (fd ${fd}) is not live in this process: it was already released or consumed by an import`;
    expect(thrown(() => manager.importSemaphore(semaphoreHandle))).toMatchObject(geyserError('InvalidTextureHandle', consumed('semaphore', semaphoreHandle.rawHandle)));
    expect(thrown(() => manager.importFence(fenceHandle))).toMatchObject(geyserError('InvalidTextureHandle', consumed('fence', fenceHandle.rawHandle)));
    importedSemaphore.release();
    importedFence.release();
    semaphore.release();
    fence.release();
    a.close();
    b.close();
  });

  it('untracks the fd when a copy of a received handle is imported, so the original cannot close it again', async () => {
    const { a, b, texture, handle } = await received();
    const imported = manager.importTexture({ ...handle }, descriptor);
    const notLive = `texture handle (fd ${handle.rawHandle}) is not live in this process: it was already released, consumed by an import, or never exported here`;
    expect(thrown(() => releaseReceivedHandles([handle]))).toMatchObject(geyserError('InvalidTextureHandle', notLive));
    imported.release();
    texture.release();
    a.close();
    b.close();
  });

  it('releases the host handles of messages nobody received when the channel closes', async () => {
    const [a, b] = ShareChannel.pair({ label: 'unclaimed' });
    const texture = manager.createShareableTexture(descriptor);
    const fdsWithTexture = fdCount();
    for (let i = 0; i < 3; i++) {
      const handle = manager.exportTexture(texture);
      await a.send({ i }, [handle]);
      manager.releaseTextureHandle(handle);
    }
    // Wait until all three have arrived (and sit queued, with their fds open here).
    await new Promise<void>((resolve) => {
      const poll = (): void => (fdCount() >= fdsWithTexture + 3 ? resolve() : void setTimeout(poll, 5));
      poll();
    });
    expect(liveHandleCount()).toBe(handlesBefore + 3);
    b.close();
    expect(liveHandleCount()).toBe(handlesBefore);
    expect(fdCount()).toBe(fdsWithTexture - 1); // b's socket is gone too
    texture.release();
    a.close();
  });
});

describe('a channel carrying host handles, against a peer that sends junk', () => {
  it('imports the good message, reports the junk as ProtocolError, closes its fds, and the process lives on', async () => {
    const texture = manager.createShareableTexture({ width: WIDTH, height: HEIGHT, format: 'rgba8unorm', usage: [...USAGE], label: 'cam0' });
    fillPattern(manager.mapTexture(texture), 31);
    const handle = manager.exportTexture(texture);
    const [channel, forPeer] = ShareChannel.pair({ label: 'foreign' });
    const peer = spawn('python3', [`${FIXTURES}channel-host-junk-peer.py`], { stdio: ['ignore', 'inherit', 'inherit', forPeer.fd, handle.rawHandle] });
    forPeer.close();
    manager.releaseTextureHandle(handle);
    expect(await exited(peer)).toEqual({ code: 0, signal: null });

    const good = await channel.receive();
    expect(good.message).toEqual({ slot: 0 });
    const imported = manager.importTexture(good.handles[0] as HostTextureHandle, { width: WIDTH, height: HEIGHT, format: 'rgba8unorm', usage: [...USAGE] });
    expect(firstMismatch(manager.readTexture(imported), pattern(WIDTH * HEIGHT * 4, 31))).toBe(-1);

    const error = await channel.receive().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'GeyserError', code: 'ProtocolError' });
    expect((error as Error).message).toMatch(/^channel 'foreign' received a malformed message: it is not valid JSON \(/);
    expect(channel.closed).toBe(true);
    await expect(channel.send('more')).rejects.toMatchObject({ code: 'ChannelClosed' });
    channel.close();

    // Still alive and working: the same memory through a fresh channel, and our writes seen there.
    manager.mapTexture(imported)[0] = 0xab;
    expect(manager.mapTexture(texture)[0]).toBe(0xab);
    imported.release();
    await shareThroughChannel(['r8unorm']);
    texture.release();
  });
});
