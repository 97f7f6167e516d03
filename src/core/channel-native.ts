/**
 * The addon's ShareChannel exports (native/ipc), typed. Nothing here is public API.
 *
 * @internal
 * @module
 */
import { native, nativeArea } from './native.js';

/** The native half of a channel: one SOCK_SEQPACKET socket watched by a uv_poll_t. */
export interface ChannelWrap {
  /** True when the kernel took the packet now; false when it was queued (onSent reports it later). */
  send(text: string, fds: number[]): boolean;
  setReading(reading: boolean): void;
  setRef(ref: boolean): void;
  close(): void;
  peer(): { pid: number; uid: number; gid: number };
  fd(): number;
}

/** The native half of a server: the 0600 listening socket. */
export interface ListenerWrap {
  setAccepting(accepting: boolean): void;
  setRef(ref: boolean): void;
  close(): void;
}

/** What the addon's `ipc` object holds. */
export interface IpcAddon {
  ChannelWrap: new (
    fd: number,
    maxBytes: number,
    maxFds: number,
    onPacket: (text: string, fds: number[], truncatedBytes: boolean, truncatedFds: boolean) => void,
    onSent: (count: number) => void,
    onEnd: (code: string, message: string) => void,
  ) => ChannelWrap;
  ListenerWrap: new (
    path: string,
    backlog: number,
    onAccept: (fd: number, pid: number, uid: number, gid: number) => void,
    onReject: (pid: number, uid: number, gid: number) => void,
    onError: (code: string, message: string) => void,
  ) => ListenerWrap;
  socketPair(): [number, number];
  connect(path: string, timeoutMs: number): Promise<number>;
  maxFdsPerPacket: number;
}

/**
 * The addon's ipc exports (loads the addon on first use); throws `BackendUnavailable` with the
 * addon's reason where ShareChannel is not built (a Windows build registers `{ available: false, reason }`).
 */
export function ipcAddon(): IpcAddon {
  return nativeArea<IpcAddon>('ipc', 'ShareChannel');
}

/** Closes fds this process owns, ignoring ones already closed (used on error paths only). */
export function closeFds(fds: readonly number[]): void {
  const closeFd = native().closeFd as (fd: number) => void;
  for (const fd of fds) {
    try {
      closeFd(fd);
    } catch {
      // already closed: nothing left to free
    }
  }
}
