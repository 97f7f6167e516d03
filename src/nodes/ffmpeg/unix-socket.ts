/**
 * A one-connection Unix socket that ffmpeg connects to (`-i unix:/path` or an output `unix:/path`).
 *
 * Why not stdin/stdout: a pipe moves 64 KiB per wakeup; a Unix stream socket has bigger kernel
 * buffers and Node writes to it with fewer syscalls, which measured 1.26-1.42x faster for raw
 * 1080p frames on a 2-core machine (see bench/encode.mjs).
 *
 * @internal
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GeyserError } from '../../core/errors.js';
import { native } from '../../core/native.js';

/** A listening socket waiting for ffmpeg's one connection. */
export class OneShotSocket {
  /** The `unix:` URL to give ffmpeg. */
  readonly url: string;
  readonly #dir: string;
  readonly #server: Server;
  #closed = false;
  #accepted: Promise<Socket>;

  private constructor(dir: string, server: Server, accepted: Promise<Socket>) {
    this.#dir = dir;
    this.#server = server;
    this.#accepted = accepted;
    this.url = `unix:${join(dir, 'io.sock')}`;
  }

  /** Listens on a fresh path in a private temporary directory. */
  static async listen(): Promise<OneShotSocket> {
    // A private directory (mode 0700) so no other user can connect first; its path stays well
    // under the 108-byte sun_path limit.
    const dir = mkdtempSync(join(tmpdir(), 'geyser-ff-'));
    const server = createServer({ allowHalfOpen: false });
    const accepted = new Promise<Socket>((resolveSocket, reject) => {
      server.once('connection', (socket) => {
        // One peer only: stop listening at once so the path can go.
        server.close();
        resolveSocket(socket);
      });
      server.once('error', reject);
    });
    accepted.catch(() => {}); // observed through accept(); avoid an unhandled rejection meanwhile
    try {
      await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(join(dir, 'io.sock'), () => {
          server.off('error', fail);
          ok();
        });
      });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new GeyserError('Other', `Could not listen on a Unix socket in ${dir}: ${(error as Error).message}`, { cause: error });
    }
    return new OneShotSocket(dir, server, accepted);
  }

  /**
   * Resolves with ffmpeg's connection, or rejects with `failure`'s reason if that settles first
   * (ffmpeg exited before connecting). With `sendBufferBytes`, the connection's send buffer is
   * grown towards that size (as far as `net.core.wmem_max` allows): with room for a whole frame,
   * ffmpeg reads a frame without waiting for this process to refill the socket a few hundred KiB
   * at a time.
   */
  async accept(failure: Promise<unknown>, sendBufferBytes?: number): Promise<Socket> {
    const lost = failure.then((reason) => {
      throw reason instanceof Error ? reason : new GeyserError('FfmpegFailed', `ffmpeg exited before connecting to ${this.url}`);
    });
    lost.catch(() => {});
    const socket = await Promise.race([this.#accepted, lost]);
    if (sendBufferBytes !== undefined) growSendBuffer(socket, sendBufferBytes);
    return socket;
  }

  /** Stops listening and removes the socket's directory (idempotent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#server.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/**
 * Grows a connected socket's send buffer; a best effort (a socket without an fd, or a kernel that
 * refuses, keeps its default).
 */
function growSendBuffer(socket: Socket, bytes: number): void {
  // libuv's pipe handle exposes its fd on Unix; nothing else in Node's API does.
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return;
  try {
    (native() as { growSendBuffer(fd: number, bytes: number): number }).growSendBuffer(fd, Math.min(bytes, 2 ** 30));
  } catch {
    // The default size works, only with more wakeups.
  }
}
