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

/** Records a handle that now owns its `rawHandle` fd. */
export function trackHandle<T extends ExportedHandle>(handle: T): T {
  if ('rawHandle' in handle) live.set(handle.rawHandle, handle);
  return handle;
}

/** True when this very handle object is live (not a copy, not released, not consumed). */
export function isLiveHandle(handle: ExportedHandle): boolean {
  return 'rawHandle' in handle && live.get(handle.rawHandle) === handle;
}

/** Forgets a handle whose fd was consumed by an import (or closed by release). */
export function untrackHandle(handle: ExportedHandle): void {
  if ('rawHandle' in handle && live.get(handle.rawHandle) === handle) live.delete(handle.rawHandle);
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
  return exported;
}
