import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstValueFrom, toArray } from 'rxjs';
import { GeyserError, liveHandleCount, releaseReceivedHandles, ShareChannel, type HostTextureHandle } from '../src/index.js';
import { fdCount, fileHandle, isOpen, readThroughFd, tempDir } from './channel-helpers.js';

let fdsBefore: number;
let handlesBefore: number;
let temp: ReturnType<typeof tempDir>;

beforeEach(() => {
  temp = tempDir();
  fdsBefore = fdCount();
  handlesBefore = liveHandleCount();
});

afterEach(() => {
  temp.remove();
  expect(liveHandleCount()).toBe(handlesBefore);
  expect(fdCount()).toBe(fdsBefore);
});

describe('ShareChannel.pair', () => {
  it('delivers messages in order with their boundaries', async () => {
    const [a, b] = ShareChannel.pair();
    for (let i = 0; i < 100; i++) await a.send({ i, text: 'x'.repeat(i) });
    for (let i = 0; i < 100; i++) expect((await b.receive()).message).toEqual({ i, text: 'x'.repeat(i) });
    a.close();
    b.close();
  });

  it('carries handles as new fds that read the same file', async () => {
    const [a, b] = ShareChannel.pair();
    const first = fileHandle(temp.dir, 'one', 'first file contents!');
    const second = fileHandle(temp.dir, 'two', 'second');
    await a.send({ frame: 7 }, [first, second]);
    const { message, handles } = await b.receive();
    expect(message).toEqual({ frame: 7 });
    expect(handles).toHaveLength(2);
    const [r1, r2] = handles as HostTextureHandle[];
    expect(r1).toEqual({ ...first, rawHandle: r1!.rawHandle });
    expect(r1!.rawHandle).not.toBe(first.rawHandle);
    expect(r2!.rawHandle).not.toBe(second.rawHandle);
    expect(readThroughFd(r1!.rawHandle, r1!.size)).toBe('first file contents!');
    expect(readThroughFd(r2!.rawHandle, r2!.size)).toBe('second');
    // Received fds are close-on-exec (MSG_CMSG_CLOEXEC): a child spawned later does not inherit them.
    const flags = Number.parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${r1!.rawHandle}`, 'utf8'))![1]!, 8);
    expect(flags & 0o2000000).toBe(0o2000000);
    // The sender keeps its own handles: both stay open and readable.
    expect(readThroughFd(first.rawHandle, first.size)).toBe('first file contents!');
    releaseReceivedHandles(handles);
    expect(isOpen(r1!.rawHandle)).toBe(false);
    releaseReceivedHandles([first, second]);
    a.close();
    b.close();
  });

  it('streams messages through messages$ and completes when the peer closes', async () => {
    const [a, b] = ShareChannel.pair();
    const all = firstValueFrom(b.messages$.pipe(toArray()));
    for (let i = 0; i < 5; i++) await a.send(i);
    a.close();
    expect((await all).map((r) => r.message)).toEqual([0, 1, 2, 3, 4]);
    b.close();
  });

  it('rejects receive with ChannelClosed once the peer closed and the queue is drained', async () => {
    const [a, b] = ShareChannel.pair({ label: 'left' });
    await a.send('last');
    a.close();
    expect((await b.receive()).message).toBe('last');
    await expect(b.receive()).rejects.toThrow(new GeyserError('ChannelClosed', "channel 'left' is closed: its peer closed it"));
    b.close();
  });

  it('rejects a pending receive when the channel is closed', async () => {
    const [a, b] = ShareChannel.pair({ label: 'cam0' });
    const pending = a.receive();
    a.close();
    await expect(pending).rejects.toThrow(new GeyserError('ChannelClosed', "channel 'cam0' is closed: it was closed"));
    b.close();
  });

  it('refuses to send on a closed channel, and close is idempotent', async () => {
    const [a, b] = ShareChannel.pair({ label: 'cam0' });
    a.close();
    a.close();
    a[Symbol.dispose]();
    expect(a.closed).toBe(true);
    await expect(a.send({})).rejects.toThrow(new GeyserError('ChannelClosed', "channel 'cam0' is closed: it was closed"));
    expect(() => a.fd).toThrow("channel 'cam0' is closed: it was closed");
    await expect(b.send({})).rejects.toMatchObject({ code: 'ChannelClosed' });
    b.close();
  });

  it('reports the peer credentials of the process that made the pair', () => {
    const [a, b] = ShareChannel.pair();
    expect(a.peer).toEqual({ pid: process.pid, uid: process.getuid!(), gid: process.getgid!() });
    a.close();
    b.close();
  });

  it('releases the handles of received messages nobody took when closed', async () => {
    const [a, b] = ShareChannel.pair();
    const handle = fileHandle(temp.dir, 'h', 'abcd');
    await a.send('with handle', [handle]);
    await a.send('again', [handle]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let b's poll read both into its queue
    expect(liveHandleCount()).toBe(handlesBefore + 3);
    b.close();
    expect(liveHandleCount()).toBe(handlesBefore + 1);
    releaseReceivedHandles([handle]);
    a.close();
  });

  it('stops reading at maxQueuedMessages and resumes as the queue drains (backpressure)', async () => {
    const [a, b] = ShareChannel.pair({ maxQueuedMessages: 4 });
    const handle = fileHandle(temp.dir, 'queued', 'sent from the queue');
    const sends: Promise<void>[] = [];
    // Every 100th message carries a handle; queued ones hold a duplicate of its fd until flushed.
    for (let i = 0; i < 2000; i++) sends.push(a.send({ i, pad: 'p'.repeat(500) }, i % 100 === 99 ? [handle] : []));
    // The kernel buffer fills: later sends stay queued until b drains.
    let settled = 0;
    for (const send of sends) void send.then(() => settled++);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBeLessThan(2000);
    for (let i = 0; i < 2000; i++) {
      const { message, handles } = await b.receive();
      expect((message as { i: number }).i).toBe(i);
      expect(handles).toHaveLength(i % 100 === 99 ? 1 : 0);
      if (handles.length) expect(readThroughFd((handles[0] as HostTextureHandle).rawHandle, handle.size)).toBe('sent from the queue');
      releaseReceivedHandles(handles);
    }
    await Promise.all(sends);
    releaseReceivedHandles([handle]);
    a.close();
    b.close();
  });
});

describe('ShareChannel input checks', () => {
  it.each([
    [{ maxMessageBytes: 10 }, 'Expected integer between 64 and 196608 for options.maxMessageBytes but received 10 of type number'],
    [{ maxHandles: 300 }, 'Expected integer between 0 and 253 for options.maxHandles but received 300 of type number'],
    [{ maxQueuedMessages: 0 }, 'Expected integer between 1 and 65536 for options.maxQueuedMessages but received 0 of type number'],
  ])('rejects options %o naming the field', (options, message) => {
    expect(() => ShareChannel.pair(options)).toThrow(message);
  });

  it('catches a misspelled option', () => {
    expect(() => ShareChannel.pair({ maxHandle: 3 } as never)).toThrow("Unknown option 'maxHandle' for ShareChannel.pair");
  });

  it('rejects bad messages and handles naming them', async () => {
    const [a, b] = ShareChannel.pair({ label: 'cam0', maxMessageBytes: 64, maxHandles: 1 });
    await expect(a.send(undefined)).rejects.toThrow('Expected a JSON value for message but received undefined');
    await expect(a.send('x'.repeat(100))).rejects.toThrow("message of 121 bytes (as JSON) exceeds maxMessageBytes 64 of channel 'cam0'");
    await expect(a.send({}, [{ kind: 'buffer' } as never])).rejects.toThrow('Expected an exported texture, semaphore or fence handle for handles[0] but received an object');
    await expect(a.send({}, [{} as never, {} as never])).rejects.toThrow('Expected at most 1 handles (maxHandles) for handles but received 2');
    const forged = { backend: 'host', kind: 'texture', rawHandle: 0 } as never;
    await expect(a.send({}, [forged])).rejects.toThrow(
      new GeyserError('InvalidTextureHandle', 'handles[0] (texture handle, fd 0) is not live in this process: it was released, consumed by an import, or never exported here'),
    );
    a.close();
    b.close();
  });

  it('refuses fromFd on something that is not a ShareChannel socket, leaving the fd open', () => {
    expect(() => ShareChannel.fromFd(-1)).toThrow('Expected non-negative integer for fd but received -1 of type number');
    const handle = fileHandle(temp.dir, 'plain', 'data');
    expect(() => ShareChannel.fromFd(handle.rawHandle)).toThrow(`fd ${handle.rawHandle} is not a socket`);
    expect(isOpen(handle.rawHandle)).toBe(true);
    releaseReceivedHandles([handle]);
  });
});
