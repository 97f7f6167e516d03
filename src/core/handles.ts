/**
 * The process-wide registry of live exported handles. An fd number is reused by the kernel as soon
 * as it is closed, so releasing a handle twice could close someone else's file; the registry makes
 * the second release an error instead. A handle is live from export (or receipt through a
 * ShareChannel) until it is released or consumed by an import.
 *
 * @internal
 * @module
 */
import { GeyserError } from './errors.js';
import type { ExportedHandle } from './types.js';

const live = new Map<number, ExportedHandle>();

/**
 * Handle objects whose fd is gone (released, or consumed by an import). Their fd number may
 * already belong to a new file, so importing one again would take over someone else's fd.
 */
const retired = new WeakSet<object>();

/** Records a handle that now owns its `rawHandle` fd. */
export function trackHandle<T extends ExportedHandle>(handle: T): T {
  if ('rawHandle' in handle) live.set(handle.rawHandle, handle);
  return handle;
}

/** True when this very handle object is live (not a copy, not released, not consumed). */
export function isLiveHandle(handle: ExportedHandle): boolean {
  return 'rawHandle' in handle && live.get(handle.rawHandle) === handle;
}

/**
 * Forgets the fd an import just consumed. Keyed by the fd, not the object: when a copy of a live
 * handle (or a hand-made one naming the same fd) is imported, the original no longer owns the fd
 * either, so releasing it later must fail rather than close whatever file reuses the number.
 */
export function untrackHandle(handle: ExportedHandle): void {
  if (!('rawHandle' in handle)) return;
  const owner = live.get(handle.rawHandle);
  if (owner) retired.add(owner);
  retired.add(handle);
  live.delete(handle.rawHandle);
}

/**
 * Throws when this handle object's fd is already gone (released or consumed by an import): its
 * number may now name another file. Hand-made handles for inherited fds were never tracked and pass.
 */
export function assertNotRetired(handle: object, kind: string): void {
  if (!retired.has(handle)) return;
  const fd = String((handle as { rawHandle?: unknown }).rawHandle);
  throw new GeyserError('InvalidTextureHandle', `${kind} handle (fd ${fd}) is not live in this process: it was already released or consumed by an import`);
}

/** Number of live handles in this process (for leak checks). */
export function liveHandleCount(): number {
  return live.size;
}

/**
 * Takes a live handle out of the registry so its owner can close it, or throws naming why it is
 * not releasable: already released, consumed by an import, or never exported in this process.
 */
export function claimForRelease(handle: unknown): ExportedHandle {
  if (typeof handle !== 'object' || handle === null || !('rawHandle' in handle) || typeof (handle as { rawHandle: unknown }).rawHandle !== 'number') {
    throw new GeyserError('InvalidTextureHandle', 'Expected an exported handle (with a numeric rawHandle) for handle');
  }
  const exported = handle as ExportedHandle & { rawHandle: number };
  if (live.get(exported.rawHandle) !== exported) {
    throw new GeyserError(
      'InvalidTextureHandle',
      `${exported.kind ?? 'texture'} handle (fd ${exported.rawHandle}) is not live in this process: it was already released, consumed by an import, or never exported here`,
    );
  }
  live.delete(exported.rawHandle);
  retired.add(exported);
  return exported;
}
