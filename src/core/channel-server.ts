/**
 * ShareChannelServer: the listening side of {@link ShareChannel.listen}.
 *
 * @module
 */
import { debuglog } from 'node:util';
import { Observable, Subject, type Subscriber } from 'rxjs';
import { ShareChannel } from './channel.js';
import { ipcAddon, type ListenerWrap } from './channel-native.js';
import type { ChannelSettings } from './channel-options.js';
import { GeyserError, type GeyserErrorCode } from './errors.js';
import { callNative } from './native.js';

const debug = debuglog('geyser');

interface AcceptWaiter {
  resolve(channel: ShareChannel): void;
  reject(error: unknown): void;
}

/**
 * A listening Unix socket that hands out one {@link ShareChannel} per connecting process. Every
 * peer's `SO_PEERCRED` is checked on accept: a process running as another user is disconnected at
 * once and reported on {@link errors$} as `PeerRejected`; the server keeps serving.
 *
 * Keeping the process alive: the server keeps the event loop alive only while an `accept()` is
 * pending or `connections$` has a subscriber.
 *
 * @example
 * ```ts
 * const server = await ShareChannel.listen('/tmp/geyser.sock');
 * server.errors$.subscribe((error) => console.warn(error.message)); // PeerRejected, accept failures
 * server.connections$.subscribe(async (channel) => {
 *   const { message } = await channel.receive();
 *   await channel.send({ echo: message });
 * });
 * // later
 * server.close();
 * ```
 */
export class ShareChannelServer implements Disposable {
  #native: ListenerWrap | undefined;
  readonly #path: string;
  readonly #settings: ChannelSettings & { maxPendingConnections: number };
  readonly #pending: ShareChannel[] = [];
  readonly #waiters: AcceptWaiter[] = [];
  readonly #subscribers = new Set<Subscriber<ShareChannel>>();
  readonly #errors = new Subject<GeyserError>();
  #accepted = 0;

  /** Accepted channels as they connect (the pending ones first). Completes on {@link close}. */
  readonly connections$: Observable<ShareChannel>;
  /**
   * Problems that do not stop the server: `PeerRejected` for a peer of another user, `Other` for
   * a failed accept (accepting resumes on the next {@link accept} or subscription). Completes on close.
   */
  readonly errors$: Observable<GeyserError>;

  private constructor(path: string, settings: ChannelSettings & { backlog: number; maxPendingConnections: number }) {
    this.#path = path;
    this.#settings = settings;
    this.#native = callNative(
      () =>
        new (ipcAddon().ListenerWrap)(
          path,
          settings.backlog,
          (fd, pid, uid, gid) => this.#onAccept(fd, { pid, uid, gid }),
          (pid, uid, gid) => this.#onReject(pid, uid, gid),
          (code, message) => this.#errors.next(new GeyserError(code as GeyserErrorCode, `server at '${path}': ${message}`)),
        ),
    );
    this.connections$ = new Observable<ShareChannel>((subscriber) => this.#subscribe(subscriber));
    this.errors$ = this.#errors.asObservable();
  }

  /** @internal Use {@link ShareChannel.listen}. */
  static create(path: string, settings: ChannelSettings & { backlog: number; maxPendingConnections: number }): ShareChannelServer {
    return new ShareChannelServer(path, settings);
  }

  /** The socket path. */
  get path(): string {
    return this.#path;
  }

  /** True once {@link close} ran. */
  get closed(): boolean {
    return this.#native === undefined;
  }

  /**
   * The next connected channel.
   *
   * @example
   * ```ts
   * const channel = await server.accept();
   * console.log(channel.peer.pid);
   * ```
   * @throws {@link GeyserError} `ChannelClosed` when the server is (or gets) closed
   */
  accept(): Promise<ShareChannel> {
    const next = this.#pending.shift();
    if (next) {
      this.#resume();
      return Promise.resolve(next);
    }
    if (!this.#native) return Promise.reject(this.#closedError());
    this.#resume();
    return new Promise<ShareChannel>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#updateRef();
    });
  }

  /**
   * Stops listening (idempotent): removes the socket file, closes connections not yet accepted,
   * rejects pending `accept()` calls with `ChannelClosed`, completes `connections$` and `errors$`.
   * Channels already accepted stay open.
   *
   * @example
   * ```ts
   * server.close();
   * ```
   */
  close(): void {
    const listener = this.#native;
    if (!listener) return;
    this.#native = undefined;
    listener.close();
    for (const channel of this.#pending.splice(0)) channel.close();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#closedError());
    const subscribers = [...this.#subscribers];
    this.#subscribers.clear();
    for (const subscriber of subscribers) subscriber.complete();
    this.#errors.complete();
  }

  /** Same as {@link close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #closedError(): GeyserError {
    return new GeyserError('ChannelClosed', `server at '${this.#path}' is closed`);
  }

  #onAccept(fd: number, peer: { pid: number; uid: number; gid: number }): void {
    let channel: ShareChannel;
    try {
      channel = ShareChannel.adopt(fd, this.#settings, `${this.#path}#${++this.#accepted}`, Object.freeze(peer));
    } catch (error) {
      this.#errors.next(error instanceof GeyserError ? error : new GeyserError('Other', String(error)));
      return;
    }
    debug('server %s accepted pid %d', this.#path, peer.pid);
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve(channel);
    } else if (this.#subscribers.size > 0) {
      for (const subscriber of [...this.#subscribers]) subscriber.next(channel);
    } else {
      this.#pending.push(channel);
      if (this.#pending.length >= this.#settings.maxPendingConnections) {
        this.#native?.setAccepting(false); // the kernel backlog holds the rest
      }
    }
    this.#updateRef();
  }

  #onReject(pid: number, uid: number, gid: number): void {
    const ownUid = process.geteuid?.() ?? 0;
    const error = new GeyserError(
      'PeerRejected',
      `server at '${this.#path}' refused a connection from pid ${pid} (uid ${uid}, gid ${gid}): only uid ${ownUid} may connect`,
    );
    debug('%s', error.message);
    this.#errors.next(error);
  }

  #subscribe(subscriber: Subscriber<ShareChannel>): () => void {
    while (this.#pending.length > 0 && !subscriber.closed) subscriber.next(this.#pending.shift()!);
    if (!this.#native) {
      subscriber.complete();
      return () => {};
    }
    this.#resume();
    this.#subscribers.add(subscriber);
    this.#updateRef();
    return () => {
      this.#subscribers.delete(subscriber);
      this.#updateRef();
    };
  }

  /** Accept again after the pending bound or a failed accept paused it. */
  #resume(): void {
    if (this.#native && this.#pending.length < this.#settings.maxPendingConnections) {
      this.#native.setAccepting(true);
    }
  }

  #updateRef(): void {
    this.#native?.setRef(this.#waiters.length > 0 || this.#subscribers.size > 0);
  }
}
