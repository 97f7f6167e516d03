/**
 * The host area of the addon (`native/host/`), typed. Only the host backend's classes touch it.
 *
 * @internal
 * @module
 */
import { native, nativeArea } from '../native.js';

/** A sealed geyser-texture memfd mapped into this process (`native/host/texture_wrap.h`). */
export interface NativeHostTexture {
  /** Bytes mapped. */
  readonly size: number;
  /** The mapping as an external ArrayBuffer; the same object on every call; detached on release. */
  buffer(): ArrayBuffer;
  /** A new close-on-exec fd for the memfd; the caller owns it. */
  exportFd(): number;
  /** Detaches the ArrayBuffer, unmaps, closes the fd (idempotent). */
  release(): void;
}

/** Which sync object a page holds (`SyncKind` in `native/host/sync_page.h`). */
export const NativeSyncKind = { Timeline: 1, Binary: 2, Fence: 3 } as const;

/** One of {@link NativeSyncKind}'s values. */
export type NativeSyncKind = (typeof NativeSyncKind)[keyof typeof NativeSyncKind];

/** A semaphore or fence on a sealed memfd page (`native/host/sync_wrap.h`). */
export interface NativeHostSync {
  readonly value: number;
  readonly kind: NativeSyncKind;
  signal(value: number): void;
  reset(): void;
  /** `timeoutMs` -1 waits forever. */
  wait(target: number, timeoutMs: number): Promise<void>;
  exportFd(): number;
  release(): void;
}

/** The host exports of the addon. */
export interface HostAddon {
  /** `fd` -1 creates a memfd of `size` bytes; `fd` >= 0 imports it (consumed on success only). */
  HostTextureNative: new (size: number, fd: number) => NativeHostTexture;
  /** `fd` -1 creates a page; `fd` >= 0 imports it (consumed on success only). */
  HostSyncNative: new (kind: NativeSyncKind, initialValue: number, fd: number) => NativeHostSync;
  /** Creates, seals and maps a one-page memfd; throws naming what failed. */
  probe(): string;
}

/** The fd helpers of `native/common`. */
export interface FdAddon {
  closeFd(fd: number): void;
}

/**
 * The loaded addon's host exports; throws `BackendUnavailable` with the addon's reason where the
 * host backend is not built (a Windows build registers `{ available: false, reason }` instead).
 */
export function hostNative(): HostAddon {
  return nativeArea<HostAddon>('host', 'the host backend');
}

/** The loaded addon's fd helpers. */
export function fdNative(): FdAddon {
  return native() as unknown as FdAddon;
}
