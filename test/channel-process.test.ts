import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveHandleCount, releaseReceivedHandles, ShareChannel, type HostTextureHandle } from '../src/index.js';
import { childPids, exited, FIXTURES, fdCount, fileHandle, readThroughFd, spawnFixture, tempDir } from './channel-helpers.js';

let fdsBefore: number;
let childrenBefore: number[];
let handlesBefore: number;
let temp: ReturnType<typeof tempDir>;

beforeEach(() => {
  temp = tempDir();
  fdsBefore = fdCount();
  childrenBefore = childPids();
  handlesBefore = liveHandleCount();
});

afterEach(() => {
  temp.remove();
  expect(liveHandleCount()).toBe(handlesBefore);
  expect(fdCount()).toBe(fdsBefore);
  expect(childPids()).toEqual(childrenBefore);
});

/** Sends `rounds` messages with a handle each and checks every echo, in order. */
async function roundTrips(channel: ShareChannel, handle: HostTextureHandle, rounds: number): Promise<void> {
  for (let seq = 0; seq < rounds; seq++) {
    await channel.send({ seq }, [handle]);
    const { message, handles } = await channel.receive();
    const echo = message as { echo: { seq: number }; contents: string[]; fds: number[] };
    expect(echo.echo.seq).toBe(seq);
    expect(echo.contents).toEqual(['pixels of slot 0']);
    expect(handles).toHaveLength(1);
    expect(readThroughFd((handles[0] as HostTextureHandle).rawHandle, handle.size)).toBe('pixels of slot 0');
    releaseReceivedHandles(handles);
  }
}

describe('ShareChannel across processes', () => {
  it('does 1,000 in-order round trips with a handle through a child given the pair fd', async () => {
    const [parent, forChild] = ShareChannel.pair();
    const child = spawnFixture('channel-echo.mjs', [], forChild.fd);
    forChild.close();
    const [ready] = (await once(child.stdout!, 'data')) as [Buffer];
    expect(ready.toString()).toBe(`ready ${child.pid}\n`);
    expect(parent.peer.pid).toBe(process.pid); // SO_PEERCRED of a pair: its creator
    const handle = fileHandle(temp.dir, 'slot0', 'pixels of slot 0');
    await roundTrips(parent, handle, 1000);
    releaseReceivedHandles([handle]);
    parent.close();
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });

  it('does round trips with a separate process that connects to a listening server', async () => {
    const path = join(temp.dir, 'echo.sock');
    const server = await ShareChannel.listen(path);
    const child = spawnFixture('channel-echo.mjs', [path]);
    const channel = await server.accept();
    expect(channel.peer).toMatchObject({ pid: child.pid, uid: process.getuid!() });
    const handle = fileHandle(temp.dir, 'slot0', 'pixels of slot 0');
    await roundTrips(channel, handle, 200);
    releaseReceivedHandles([handle]);
    channel.close();
    server.close();
    expect(await exited(child)).toEqual({ code: 0, signal: null });
  });

  it('reports ChannelClosed and frees its fds when the peer is killed mid-stream', async () => {
    const [parent, forChild] = ShareChannel.pair();
    const child = spawnFixture('channel-echo.mjs', [], forChild.fd);
    forChild.close();
    await once(child.stdout!, 'data');
    const handle = fileHandle(temp.dir, 'slot0', 'pixels of slot 0');
    await roundTrips(parent, handle, 10);
    const pending = parent.receive();
    child.kill('SIGKILL');
    await expect(pending).rejects.toMatchObject({ code: 'ChannelClosed', message: "channel 'pair#" + parent.label.slice(5) + "' is closed: its peer closed it" });
    expect(parent.closed).toBe(true);
    await expect(parent.send({ after: 'death' })).rejects.toMatchObject({ code: 'ChannelClosed' });
    expect(await exited(child)).toEqual({ code: null, signal: 'SIGKILL' });
    releaseReceivedHandles([handle]);
    parent.close();
  });

  it('completes messages$ when a child streaming to it exits', async () => {
    const [parent, forChild] = ShareChannel.pair();
    const child = spawnFixture('channel-echo.mjs', [], forChild.fd);
    forChild.close();
    await once(child.stdout!, 'data');
    const seen: unknown[] = [];
    const done = new Promise<void>((resolve, reject) => parent.messages$.subscribe({ next: (r) => seen.push((r.message as { echo: unknown }).echo), error: reject, complete: resolve }));
    for (let i = 0; i < 50; i++) await parent.send(i);
    await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill('SIGKILL');
    await done;
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
    await exited(child);
    parent.close();
  });

  it('lets a process with only an idle open channel exit, and keeps one with a pending receive alive', async () => {
    const [idleEnd, forIdle] = ShareChannel.pair();
    const idle = spawnFixture('channel-idle.mjs', ['idle'], forIdle.fd);
    forIdle.close();
    expect(await exited(idle)).toEqual({ code: 0, signal: null });

    const [waitingEnd, forWaiting] = ShareChannel.pair();
    const waiting = spawnFixture('channel-idle.mjs', ['waiting'], forWaiting.fd);
    forWaiting.close();
    let out = '';
    waiting.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(waiting.exitCode).toBe(null); // still waiting for its message
    await waitingEnd.send({ wake: 'up' });
    expect(await exited(waiting)).toEqual({ code: 0, signal: null });
    expect(out).toBe('{"wake":"up"}\n');
    idleEnd.close();
    waitingEnd.close();
  });

  it('closes the channels of a worker thread that exits without closing them', async () => {
    const worker = new Worker(join(FIXTURES, 'channel-worker.mjs'));
    const [message] = await Promise.all([new Promise((resolve) => worker.once('message', resolve)), new Promise((resolve) => worker.once('exit', resolve))]);
    expect(message).toEqual({ from: 'worker' });
  });
});
