import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GeyserError, ShareChannel } from '../src/index.js';
import { childPids, exited, fdCount, spawnFixture, tempDir } from './channel-helpers.js';

let fdsBefore: number;
let childrenBefore: number[];
let temp: ReturnType<typeof tempDir>;

beforeEach(() => {
  temp = tempDir();
  fdsBefore = fdCount();
  childrenBefore = childPids();
});

afterEach(() => {
  temp.remove();
  expect(fdCount()).toBe(fdsBefore);
  expect(childPids()).toEqual(childrenBefore);
});

describe('ShareChannel.listen', () => {
  it('creates an owner-only (0600) socket file and removes it on close', async () => {
    const path = join(temp.dir, 'a.sock');
    const server = await ShareChannel.listen(path);
    const info = statSync(path);
    expect(info.isSocket()).toBe(true);
    expect(info.mode & 0o777).toBe(0o600);
    expect(server.path).toBe(path);
    server.close();
    server.close();
    expect(existsSync(path)).toBe(false);
    await expect(server.accept()).rejects.toThrow(new GeyserError('ChannelClosed', `server at '${path}' is closed`));
  });

  it('refuses to replace a file that is not a socket', async () => {
    const path = join(temp.dir, 'precious.txt');
    writeFileSync(path, 'keep me');
    await expect(ShareChannel.listen(path)).rejects.toMatchObject({ code: 'Other', detail: 'EEXIST', message: `refusing to listen at '${path}': it exists and is not a socket` });
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('refuses a path a live server accepts on, and replaces a stale socket file', async () => {
    const path = join(temp.dir, 'b.sock');
    const server = await ShareChannel.listen(path);
    await expect(ShareChannel.listen(path)).rejects.toMatchObject({ code: 'Other', detail: 'EADDRINUSE', message: `refusing to listen at '${path}': a server is already accepting there` });
    server.close();
    // A stale socket: bound by a process that exited without removing it.
    const python = spawn('python3', ['-c', 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.bind(sys.argv[1])', path], { stdio: 'inherit' });
    expect(await exited(python)).toEqual({ code: 0, signal: null });
    expect(statSync(path).isSocket()).toBe(true);
    const again = await ShareChannel.listen(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    again.close();
  });

  it('rejects a pending accept when closed, and a connect to nothing names the path', async () => {
    const path = join(temp.dir, 'c.sock');
    const server = await ShareChannel.listen(path);
    const pending = server.accept();
    server.close();
    await expect(pending).rejects.toMatchObject({ code: 'ChannelClosed' });
    await expect(ShareChannel.connect(path)).rejects.toMatchObject({
      code: 'Other',
      detail: 'ENOENT',
      message: `cannot connect to ShareChannel server at '${path}': No such file or directory (ENOENT)`,
    });
    await expect(ShareChannel.connect('')).rejects.toThrow("Expected a non-empty socket path string for path but received '' of type string");
  });

  it('refuses a peer of another uid with PeerRejected and keeps serving its own user', async () => {
    const path = join(temp.dir, 'shared.sock');
    const server = await ShareChannel.listen(path);
    // Open the door on purpose, so only the SO_PEERCRED check stands between uid 65534 and us.
    chmodSync(temp.dir, 0o711);
    chmodSync(path, 0o666);
    const rejected = firstValueFrom(server.errors$);
    const stranger = spawn(
      'python3',
      ['-c', 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET); s.connect(sys.argv[1]); print(len(s.recv(16)))', path],
      { stdio: ['ignore', 'pipe', 'inherit'], uid: 65534, gid: 65534 },
    );
    let strangerOut = '';
    stranger.stdout!.on('data', (chunk: Buffer) => (strangerOut += chunk.toString()));
    const error = await rejected;
    expect(error).toMatchObject({
      code: 'PeerRejected',
      message: `server at '${path}' refused a connection from pid ${stranger.pid} (uid 65534, gid 65534): only uid ${process.getuid!()} may connect`,
    });
    expect(await exited(stranger)).toEqual({ code: 0, signal: null });
    expect(strangerOut).toBe('0\n'); // the stranger saw its connection closed with nothing sent

    const friend = spawnFixture('channel-echo.mjs', [path]);
    const channel = await server.accept();
    expect(channel.peer.pid).toBe(friend.pid);
    await channel.send('still serving');
    expect((await channel.receive()).message).toMatchObject({ echo: 'still serving' });
    channel.close();
    server.close();
    expect(await exited(friend)).toEqual({ code: 0, signal: null });
  });

  it('hands out connections through connections$', async () => {
    const path = join(temp.dir, 'd.sock');
    const server = await ShareChannel.listen(path, { label: 'worker' });
    const first = firstValueFrom(server.connections$);
    const client = await ShareChannel.connect(path);
    const channel = await first;
    expect(channel.label).toBe('worker');
    expect(channel.peer.pid).toBe(process.pid);
    await client.send({ hello: 1 });
    expect((await channel.receive()).message).toEqual({ hello: 1 });
    client.close();
    channel.close();
    server.close();
  });

  it('refuses, on connect, a server that runs as another uid', async () => {
    chmodSync(temp.dir, 0o777);
    const path = join(temp.dir, 'foreign.sock');
    const script = 'import socket,sys\ns=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\ns.bind(sys.argv[1])\ns.listen(1)\nprint("listening", flush=True)\nc,_=s.accept()\nc.recv(16)';
    const server = spawn('python3', ['-c', script, path], { stdio: ['ignore', 'pipe', 'inherit'], uid: 65534, gid: 65534 });
    await new Promise((resolve) => server.stdout!.once('data', resolve));
    await expect(ShareChannel.connect(path)).rejects.toThrow(
      new GeyserError('PeerRejected', `refused the server at '${path}': it runs as uid 65534 (pid ${server.pid}), not uid ${process.getuid!()}`),
    );
    expect(await exited(server)).toEqual({ code: 0, signal: null }); // it saw us hang up
  });
});
