/**
 * ShareChannel: JSON messages plus OS handles (fds) between processes, over an AF_UNIX
 * SOCK_SEQPACKET socket with SCM_RIGHTS, driven by the Node event loop (no blocking, no polling).
 *
 * @module
 */
import { debuglog } from 'node:util';
import { Observable, type Subscriber } from 'rxjs';
import { decodeMessage, encodeMessage, type ReceivedMessage } from './channel-envelope.js';
import { closeFds, ipcAddon, type ChannelWrap } from './channel-native.js';
import {
  checkSocketPath,
  resolveChannelOptions,
  resolveConnectOptions,
  resolveListenOptions,
  type ChannelSettings,
  type ConnectOptions,
  type ListenOptions,
  type ShareChannelOptions,
} from './channel-options.js';
import { releaseReceivedHandles } from './channel-handles.js';
import { ShareChannelServer } from './channel-server.js';
import { GeyserError, type GeyserErrorCode } from './errors.js';
import { awaitNative, callNative } from './native.js';
import type { ExportedHandle } from './types.js';
import { expectedMessage, isInteger } from './validate.js';

const debug = debuglog('geyser');

/** The process on the other end of a channel, from `SO_PEERCRED`. */
export interface PeerCredentials {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

let pairCount = 0;

/**
 * One end of a connection that carries JSON messages and OS handles between processes.
 *
 * Messages keep their order and boundaries (`SOCK_SEQPACKET`); a message's handles travel in the
 * same packet (`SCM_RIGHTS`), so they arrive together. On send the channel strips each handle's
 * `rawHandle` fd and attaches the fd to the packet; the sender keeps its handle (the kernel
 * duplicates the fd). On receive each handle comes back with a new fd valid in this process, owned
 * by the receiver: an import consumes it, else free it with {@link releaseReceivedHandles} or
 * `manager.releaseTextureHandle`.
 *
 * Keeping the process alive: a channel keeps the event loop alive only while something waits on
 * it (a pending {@link receive}, a {@link messages$} subscriber, or a send queued in a full
 * socket). An idle channel does not, so a process exits once its work is done even if it forgot
 * to close a channel, like an unref'd timer.
 *
 * Received messages wait in a bounded queue (`maxQueuedMessages`); when it is full the channel
 * stops reading, so the peer's sends back up in the kernel until this side consumes.
 *
 * @example
 * ```ts
 * // Parent: hand one end of a pair to a child as its fd 3, then close our copy of that end.
 * import { spawn } from 'node:child_process';
 * import { ShareChannel } from 'geyser';
 * const [parent, forChild] = ShareChannel.pair();
 * const child = spawn(process.execPath, ['worker.mjs'], { stdio: ['ignore', 'inherit', 'inherit', forChild.fd] });
 * forChild.close();
 * await parent.send({ hello: 'worker' }, [handle]);
 * const { message } = await parent.receive();
 *
 * // worker.mjs
 * const channel = ShareChannel.fromFd(3);
 * const { message, handles } = await channel.receive(); // handles[0].rawHandle is a new fd here
 * await channel.send({ ok: true });
 * channel.close();
 * ```
 */
export class ShareChannel implements Disposable {
  #native: ChannelWrap | undefined;
  readonly #settings: ChannelSettings;
  readonly #label: string;
  #peer: PeerCredentials | undefined;
  readonly #queue: ReceivedMessage[] = [];
  readonly #waiters: Waiter<ReceivedMessage>[] = [];
  readonly #subscribers = new Set<Subscriber<ReceivedMessage>>();
  readonly #pendingSends: Waiter<void>[] = [];
  /** Why the channel ended; delivered once the queue is drained. */
  #terminal: GeyserError | undefined;
  #paused = false;
  /** Whether the socket's poll handle keeps the loop alive now (cached: saves a native call per message). */
  #referenced = false;

  /**
   * Messages as they arrive, each `{ message, handles }`. Completes when the peer closes or the
   * channel is closed; errors with `ProtocolError` on a malformed message. Every subscriber sees
   * every message (the handles are shared: release or import them once). Queued messages go to
   * the first subscriber.
   */
  readonly messages$: Observable<ReceivedMessage>;

  private constructor(fd: number, settings: ChannelSettings, label: string, peer?: PeerCredentials) {
    this.#settings = settings;
    this.#label = settings.label ?? label;
    this.#peer = peer;
    this.#native = callNative(
      () =>
        new (ipcAddon().ChannelWrap)(
          fd,
          settings.maxMessageBytes,
          settings.maxHandles,
          (text, fds, truncatedBytes, truncatedFds) => this.#onPacket(text, fds, truncatedBytes, truncatedFds),
          (count) => this.#onSent(count),
          (code, message) => this.#onEnd(code, message),
        ),
    );
    this.messages$ = new Observable<ReceivedMessage>((subscriber) => this.#subscribe(subscriber));
  }

  /** @internal Wraps an fd this process owns (accepted or connected) as a channel. */
  static adopt(fd: number, settings: ChannelSettings, label: string, peer?: PeerCredentials): ShareChannel {
    try {
      return new ShareChannel(fd, settings, label, peer);
    } catch (error) {
      closeFds([fd]);
      throw error;
    }
  }

  /**
   * Two connected channels in this process. Give one end's {@link fd} to a child process's stdio
   * and close it here; keep the other.
   *
   * @example
   * ```ts
   * const [a, b] = ShareChannel.pair();
   * await a.send({ n: 1 });
   * console.log((await b.receive()).message); // { n: 1 }
   * ```
   * @param options - limits and label, see {@link ShareChannelOptions}
   * @throws {@link GeyserError} `Other` when the socket pair cannot be created (e.g. EMFILE)
   */
  static pair(options?: ShareChannelOptions): [ShareChannel, ShareChannel] {
    const settings = resolveChannelOptions(options, 'ShareChannel.pair');
    const [first, second] = callNative(() => ipcAddon().socketPair());
    const id = ++pairCount;
    let a: ShareChannel;
    try {
      a = new ShareChannel(first, settings, `pair#${id}a`);
    } catch (error) {
      closeFds([first, second]);
      throw error;
    }
    return [a, ShareChannel.adopt(second, settings, `pair#${id}b`)];
  }

  /**
   * Wraps an inherited socket fd (one end of {@link pair} passed through `stdio`) as a channel.
   * The channel owns the fd from then on.
   *
   * @example
   * ```ts
   * const channel = ShareChannel.fromFd(3); // in a child spawned with the pair's fd at stdio[3]
   * ```
   * @param fd - the socket's fd number in this process
   * @param options - limits and label, see {@link ShareChannelOptions}
   * @throws {@link GeyserError} `InvalidTextureHandle` when `fd` is not an AF_UNIX SOCK_SEQPACKET
   *   socket (the fd stays open then)
   */
  static fromFd(fd: number, options?: ShareChannelOptions): ShareChannel {
    if (!isInteger(fd) || fd < 0) throw new TypeError(expectedMessage('non-negative integer', 'fd', fd));
    return new ShareChannel(fd, resolveChannelOptions(options, 'ShareChannel.fromFd'), `fd ${fd}`);
  }

  /**
   * Connects to a {@link ShareChannelServer} listening at `path`. The server must run as the same
   * user: a server of another uid is refused with `PeerRejected`.
   *
   * @example
   * ```ts
   * const channel = await ShareChannel.connect('/run/user/1000/geyser.sock', { timeoutMs: 2000 });
   * ```
   * @param path - the socket path the server listens at
   * @param options - limits, label and `timeoutMs`, see {@link ConnectOptions}
   * @throws {@link GeyserError} `Other` (with the errno name in `detail`, e.g. `ENOENT`,
   *   `ECONNREFUSED`) when nobody listens there, `Timeout` when the server does not take the
   *   connection in time, `PeerRejected` when the server runs as another user
   */
  static async connect(path: string, options?: ConnectOptions): Promise<ShareChannel> {
    checkSocketPath(path);
    const { timeoutMs, ...settings } = resolveConnectOptions(options);
    const fd = await awaitNative(ipcAddon().connect(path, timeoutMs));
    const channel = ShareChannel.adopt(fd, settings, path);
    const uid = process.geteuid?.() ?? 0;
    if (channel.peer.uid !== uid) {
      const peer = channel.peer;
      channel.close();
      throw new GeyserError('PeerRejected', `refused the server at '${path}': it runs as uid ${peer.uid} (pid ${peer.pid}), not uid ${uid}`);
    }
    return channel;
  }

  /**
   * Listens at `path` for {@link connect}. The socket file gets mode 0600 with no window of wider
   * access; an existing non-socket file is never replaced; a stale socket file (nobody accepting)
   * is removed; the file is removed on close. Peers running as another user are refused.
   *
   * @example
   * ```ts
   * const server = await ShareChannel.listen('/tmp/geyser.sock');
   * const channel = await server.accept();
   * ```
   * @param path - where to create the socket (at most 107 bytes)
   * @param options - backlog, pending-connection bound and channel limits, see {@link ListenOptions}
   * @throws {@link GeyserError} `Other` when the path exists and is not a socket, a server already
   *   accepts there (`detail` `EADDRINUSE`), or the directory is not writable
   */
  static async listen(path: string, options?: ListenOptions): Promise<ShareChannelServer> {
    checkSocketPath(path);
    return ShareChannelServer.create(path, resolveListenOptions(options));
  }

  /** A name for messages: the label option, or the path, fd or `pair#n`. */
  get label(): string {
    return this.#label;
  }

  /** True once the socket is closed (by {@link close}, the peer, or a protocol error). */
  get closed(): boolean {
    return this.#native === undefined;
  }

  /**
   * The socket's fd, for a child's `stdio` (see the class example).
   * @throws {@link GeyserError} `ChannelClosed` after close
   */
  get fd(): number {
    return this.#open().fd();
  }

  /**
   * The peer process (`SO_PEERCRED`: for a pair, the process that created it).
   * @throws {@link GeyserError} `ChannelClosed` when closed before it was first read
   */
  get peer(): PeerCredentials {
    this.#peer ??= Object.freeze(callNative(() => this.#open().peer()));
    return this.#peer;
  }

  /**
   * Sends a JSON value and handles. Resolves once the kernel took the message (at once unless the
   * socket is full); the handles stay owned by the caller, who may release them then.
   *
   * @example
   * ```ts
   * await channel.send({ slot: 0, seq: 1 }, [manager.exportTexture(texture)]);
   * ```
   * @param message - any JSON-serializable value
   * @param handles - exported handles (live in this process) to pass along; default none
   * @throws {@link GeyserError} `ChannelClosed` when the channel or the peer is closed;
   *   `InvalidTextureHandle` naming a handle that is not live; `TypeError`/`RangeError` for a
   *   non-JSON message, too many handles or a message over `maxMessageBytes`
   */
  async send(message: unknown, handles: readonly ExportedHandle[] = []): Promise<void> {
    const channel = this.#open();
    const packet = encodeMessage(message, handles, this.#settings.maxMessageBytes, this.#settings.maxHandles, this.#label);
    let sentNow: boolean;
    try {
      sentNow = callNative(() => channel.send(packet.text, packet.fds));
    } catch (error) {
      if (!GeyserError.is(error, 'ChannelClosed')) throw error;
      this.#end(this.#closedError('its peer closed it'));
      throw this.#closedError('its peer closed it');
    }
    if (sentNow) return;
    await new Promise<void>((resolve, reject) => {
      this.#pendingSends.push({ resolve, reject });
      this.#updateRef();
    });
  }

  /**
   * The next message. Rejects with `ChannelClosed` once the peer closed and every message before
   * that was taken, or when the channel is closed while waiting; with `ProtocolError` when the
   * peer sent a malformed message (the channel closes).
   *
   * @example
   * ```ts
   * const { message, handles } = await channel.receive();
   * ```
   * @throws {@link GeyserError} `ChannelClosed` or `ProtocolError`
   */
  receive(): Promise<ReceivedMessage> {
    const next = this.#queue.shift();
    if (next) {
      this.#resumeIfDrained();
      return Promise.resolve(next);
    }
    if (this.#terminal) return Promise.reject(this.#terminal);
    return new Promise<ReceivedMessage>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#updateRef();
    });
  }

  /**
   * Closes the channel (idempotent): the socket closes now, a pending receive rejects with
   * `ChannelClosed`, `messages$` completes, and the handles of messages nobody took are released.
   *
   * @example
   * ```ts
   * channel.close();
   * channel.close(); // no-op
   * ```
   */
  close(): void {
    if (!this.#terminal) this.#end(this.#closedError('it was closed'));
    const unclaimed = this.#queue.splice(0);
    for (const received of unclaimed) releaseReceivedHandles(received.handles);
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #open(): ChannelWrap {
    if (this.#native === undefined) throw this.#asClosed(this.#terminal ?? this.#closedError('it was closed'));
    return this.#native;
  }

  /** The error for use after the end: the end itself when it was a close, else a close naming it. */
  #asClosed(reason: GeyserError): GeyserError {
    return reason.code === 'ChannelClosed' ? reason : this.#closedError(`it failed (${reason.message})`);
  }

  #closedError(why: string): GeyserError {
    return new GeyserError('ChannelClosed', `channel '${this.#label}' is closed: ${why}`);
  }

  #onPacket(text: string, fds: number[], truncatedBytes: boolean, truncatedFds: boolean): void {
    let received: ReceivedMessage;
    try {
      received = decodeMessage(text, fds, truncatedBytes, truncatedFds, this.#settings, this.#label);
    } catch (error) {
      closeFds(fds);
      debug('%s', (error as Error).message);
      this.#end(error as GeyserError);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve(received);
    } else if (this.#subscribers.size > 0) {
      for (const subscriber of [...this.#subscribers]) subscriber.next(received);
    } else {
      this.#queue.push(received);
      if (this.#queue.length >= this.#settings.maxQueuedMessages && !this.#paused) {
        this.#paused = true;
        this.#native?.setReading(false);
      }
    }
    this.#updateRef();
  }

  #onSent(count: number): void {
    for (const waiter of this.#pendingSends.splice(0, count)) waiter.resolve();
    this.#updateRef();
  }

  #onEnd(code: string, message: string): void {
    this.#end(
      code === 'ChannelClosed'
        ? this.#closedError(message === 'the peer closed the channel' ? 'its peer closed it' : message)
        : new GeyserError(code as GeyserErrorCode, `channel '${this.#label}' failed: ${message}`),
    );
  }

  /** The channel ends: close the socket now, then tell whoever waits (once the queue is drained). */
  #end(reason: GeyserError): void {
    this.#terminal ??= reason;
    const channel = this.#native;
    this.#native = undefined;
    channel?.close();
    for (const waiter of this.#pendingSends.splice(0)) waiter.reject(this.#asClosed(reason));
    if (this.#queue.length === 0) this.#deliverTerminal();
  }

  #deliverTerminal(): void {
    const terminal = this.#terminal;
    if (!terminal) return;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(terminal);
    const subscribers = [...this.#subscribers];
    this.#subscribers.clear();
    for (const subscriber of subscribers) {
      if (terminal.code === 'ChannelClosed') subscriber.complete();
      else subscriber.error(terminal);
    }
  }

  #subscribe(subscriber: Subscriber<ReceivedMessage>): () => void {
    while (this.#queue.length > 0 && !subscriber.closed) subscriber.next(this.#queue.shift()!);
    this.#resumeIfDrained();
    if (subscriber.closed) return () => {};
    if (this.#terminal && this.#queue.length === 0) {
      if (this.#terminal.code === 'ChannelClosed') subscriber.complete();
      else subscriber.error(this.#terminal);
      return () => {};
    }
    this.#subscribers.add(subscriber);
    this.#updateRef();
    return () => {
      this.#subscribers.delete(subscriber);
      this.#updateRef();
    };
  }

  #resumeIfDrained(): void {
    if (this.#paused && this.#queue.length < this.#settings.maxQueuedMessages) {
      this.#paused = false;
      this.#native?.setReading(true);
    }
    if (this.#terminal && this.#queue.length === 0) this.#deliverTerminal();
  }

  /** Keep the loop alive only while someone waits on this channel (see the class notes). */
  #updateRef(): void {
    const wanted = this.#waiters.length > 0 || this.#subscribers.size > 0 || this.#pendingSends.length > 0;
    if (wanted === this.#referenced || !this.#native) return;
    this.#referenced = wanted;
    this.#native.setRef(wanted);
  }
}

export type { ReceivedMessage } from './channel-envelope.js';
