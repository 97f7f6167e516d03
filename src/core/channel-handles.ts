/**
 * Freeing handles that arrived through a ShareChannel but will not be imported.
 *
 * @module
 */
import { claimForRelease } from './handles.js';
import { callNative, native } from './native.js';
import type { ExportedHandle } from './types.js';

/**
 * Closes the fds of received handles that will not be imported. Received handles own their fds
 * (an import consumes them); this frees the ones nobody imports, exactly once.
 *
 * @example
 * ```ts
 * const { message, handles } = await channel.receive();
 * if (!wanted(message)) releaseReceivedHandles(handles);
 * ```
 * @param handles - handles from {@link ShareChannel.receive} or `messages$`; ones without an fd are skipped
 * @throws {@link GeyserError} `InvalidTextureHandle` when a handle is not live (already released or
 *   imported); the handles before it are released.
 */
export function releaseReceivedHandles(handles: readonly ExportedHandle[]): void {
  const closeFd = native().closeFd as (fd: number) => void;
  for (const handle of handles) {
    if (!('rawHandle' in handle)) continue;
    const { rawHandle } = claimForRelease(handle) as { rawHandle: number };
    callNative(() => closeFd(rawHandle));
  }
}
