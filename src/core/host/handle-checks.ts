/**
 * Shape checks for handles given to the host backend's import calls, run before any native call.
 * The native side then checks what the fd really is (see `native/host/memfd.h`).
 *
 * @internal
 * @module
 */
import type { ValidatedDescriptor } from '../descriptor.js';
import { GeyserError } from '../errors.js';
import { textureByteLength } from '../formats.js';
import { assertNotRetired } from '../handles.js';
import type { FenceHandle, HostTextureHandle, SemaphoreHandle } from '../types.js';
import { checkIntegerInRange, invalid, isPlainObject } from '../validate.js';

type HandleKind = 'texture' | 'semaphore' | 'fence';

/** The largest fd number the kernel hands out is below INT_MAX. */
const MAX_FD = 2 ** 31 - 1;

function checkCommon(handle: unknown, kind: HandleKind): Record<string, unknown> {
  const code = 'InvalidTextureHandle';
  if (!isPlainObject(handle)) invalid(`a host ${kind} handle`, 'handle', handle, code);
  if (handle.backend !== 'host') invalid(`'host'`, 'handle.backend', handle.backend, code);
  if (handle.kind !== kind) invalid(`'${kind}'`, 'handle.kind', handle.kind, code);
  assertNotRetired(handle, kind);
  checkIntegerInRange(handle.rawHandle, 'handle.rawHandle', 0, MAX_FD, code);
  if (handle.handleType !== 'memfd') invalid(`'memfd'`, 'handle.handleType', handle.handleType, code);
  return handle;
}

/** Checks a texture handle and that it describes the same texture as `descriptor`. */
export function checkTextureHandle(handle: unknown, descriptor: ValidatedDescriptor): HostTextureHandle {
  const checked = checkCommon(handle, 'texture');
  const { width, height, format } = descriptor;
  if (checked.width !== width || checked.height !== height || checked.format !== format) {
    throw new GeyserError(
      'InvalidDescriptor',
      `handle describes a ${String(checked.width)}x${String(checked.height)} ${String(checked.format)} texture but the descriptor asks for ${width}x${height} ${format}`,
    );
  }
  const bytes = textureByteLength(format, width, height);
  if (checked.size !== bytes) {
    invalid(`${bytes} (a ${width}x${height} ${format} texture, tightly packed)`, 'handle.size', checked.size, 'InvalidTextureHandle');
  }
  return checked as unknown as HostTextureHandle;
}

/** Checks a semaphore handle. */
export function checkSemaphoreHandle(handle: unknown): SemaphoreHandle {
  const checked = checkCommon(handle, 'semaphore');
  if (typeof checked.timeline !== 'boolean') invalid('a boolean', 'handle.timeline', checked.timeline, 'InvalidTextureHandle');
  return checked as unknown as SemaphoreHandle;
}

/** Checks a fence handle. */
export function checkFenceHandle(handle: unknown): FenceHandle {
  return checkCommon(handle, 'fence') as unknown as FenceHandle;
}
