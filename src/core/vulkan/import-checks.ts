/**
 * Checks on a Vulkan texture handle before anything reaches the driver: importing memory with a
 * wrong device, size, memory type or image description is undefined behaviour there, so each
 * mismatch is refused here with the field named. (Size against the image's real memory
 * requirements, and the memory type against the image's allowed types, are checked natively once
 * the image exists, still before the fd is handed over.)
 *
 * @internal
 * @module
 */
import type { ValidatedDescriptor } from '../descriptor.js';
import { GeyserError } from '../errors.js';
import { isTextureFormat } from '../formats.js';
import type { VulkanTextureHandle } from '../types.js';
import { isTextureUsage } from '../usages.js';
import { expectedMessage, isInteger, isPlainObject } from '../validate.js';
import { assertNotRetired } from '../handles.js';
import { fdHelpers } from './binding.js';

/** Handles whose fd an import consumed; importing one again is refused (the fd number may be reused). */
const consumed = new WeakSet<object>();

/** Marks a handle consumed by a successful import. */
export function markConsumed(handle: object): void {
  consumed.add(handle);
}

function bad(message: string, code: 'InvalidTextureHandle' | 'InvalidDescriptor' | 'DeviceMismatch' = 'InvalidTextureHandle'): never {
  throw new GeyserError(code, message);
}

/** The identity an importer compares against. */
export interface ImporterIdentity {
  deviceUuid: string;
  driverUuid: string;
  label: string;
}

/**
 * Checks that `handle` is a well-formed, live Vulkan texture handle from the same device and
 * driver, describing the same texture as `descriptor`, and returns it typed.
 */
export function checkTextureImport(handle: unknown, descriptor: ValidatedDescriptor, importer: ImporterIdentity): VulkanTextureHandle {
  if (!isPlainObject(handle)) bad(expectedMessage('a Vulkan texture handle', 'handle', handle));
  if (handle.backend !== 'vulkan' || handle.kind !== 'texture') {
    bad(`handle is a ${String(handle.backend)} ${String(handle.kind)} handle; the Vulkan manager imports only Vulkan texture handles`);
  }
  const fd = handle.rawHandle;
  if (!isInteger(fd) || fd < 0) bad(expectedMessage('non-negative integer fd', 'handle.rawHandle', fd));
  if (consumed.has(handle)) bad(`handle (fd ${fd}) was already consumed by an import`);
  assertNotRetired(handle, 'texture');
  if (handle.handleType !== 'opaque-fd') bad(expectedMessage("'opaque-fd'", 'handle.handleType', handle.handleType));
  if (handle.tiling !== 'optimal') bad(expectedMessage("'optimal'", 'handle.tiling', handle.tiling));
  if (typeof handle.dedicatedAllocation !== 'boolean') bad(expectedMessage('boolean', 'handle.dedicatedAllocation', handle.dedicatedAllocation));
  if (!isInteger(handle.size) || handle.size <= 0) bad(expectedMessage('positive integer', 'handle.size', handle.size));
  if (!isInteger(handle.memoryTypeIndex) || handle.memoryTypeIndex < 0 || handle.memoryTypeIndex > 31) {
    bad(expectedMessage('integer between 0 and 31', 'handle.memoryTypeIndex', handle.memoryTypeIndex));
  }
  for (const field of ['deviceUuid', 'driverUuid'] as const) {
    const value = handle[field];
    if (typeof value !== 'string' || !/^[0-9a-f]{32}$/i.test(value)) bad(expectedMessage('32 hex digits', `handle.${field}`, value));
    if (value.toLowerCase() !== importer[field]) {
      bad(
        `handle.${field} ${value} does not match ${importer.label} (${field} ${importer[field]}): opaque fds import only on the same device and driver`,
        'DeviceMismatch',
      );
    }
  }
  if (!isTextureFormat(handle.format)) bad(expectedMessage('a texture format', 'handle.format', handle.format));
  const usage = handle.usage;
  if (!Array.isArray(usage) || usage.length === 0 || !usage.every(isTextureUsage)) bad(expectedMessage('a non-empty array of texture usages', 'handle.usage', usage));
  for (const field of ['width', 'height', 'format'] as const) {
    if (handle[field] !== descriptor[field]) {
      bad(`descriptor.${field} ${String(descriptor[field])} does not match handle.${field} ${String(handle[field])}`, 'InvalidDescriptor');
    }
  }
  const missing = descriptor.usage.filter((entry) => !usage.includes(entry));
  if (missing.length > 0) {
    bad(`descriptor.usage asks for ${missing.join(', ')}, which the exporter did not create the texture with (handle.usage: ${usage.join(', ')})`, 'InvalidDescriptor');
  }
  if (!fdHelpers().isFdOpen(fd)) bad(`handle.rawHandle (fd ${fd}) is not an open file descriptor`);
  return handle as unknown as VulkanTextureHandle;
}

/** Checks a semaphore or fence handle's shape for a Vulkan import; returns its fd. */
export function checkSyncImport(handle: unknown, kind: 'semaphore' | 'fence'): { fd: number; handleType: 'opaque-fd' | 'sync-fd' } {
  if (!isPlainObject(handle)) bad(expectedMessage(`a Vulkan ${kind} handle`, 'handle', handle));
  if (handle.backend !== 'vulkan' || handle.kind !== kind) {
    bad(`handle is a ${String(handle.backend)} ${String(handle.kind)} handle; expected a Vulkan ${kind} handle`);
  }
  const fd = handle.rawHandle;
  if (!isInteger(fd) || fd < 0) bad(expectedMessage('non-negative integer fd', 'handle.rawHandle', fd));
  if (consumed.has(handle)) bad(`${kind} handle (fd ${fd}) was already consumed by an import`);
  assertNotRetired(handle, kind);
  if (handle.handleType !== 'opaque-fd' && handle.handleType !== 'sync-fd') {
    bad(expectedMessage("'opaque-fd' or 'sync-fd'", 'handle.handleType', handle.handleType));
  }
  if (kind === 'semaphore' && typeof handle.timeline !== 'boolean') bad(expectedMessage('boolean', 'handle.timeline', handle.timeline));
  if (!fdHelpers().isFdOpen(fd)) bad(`handle.rawHandle (fd ${fd}) is not an open file descriptor`);
  return { fd, handleType: handle.handleType };
}
