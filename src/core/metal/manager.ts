/**
 * The Metal backend (IOSurface textures, MTLSharedEvent sync) opens only on macOS, where the addon
 * compiles `native/metal/`. Elsewhere it reports why.
 *
 * @module
 */
import { GeyserError } from '../errors.js';
import { native } from '../native.js';
import type { BackendVerdict } from '../backend-choice.js';
import type { ManagerOptions } from '../manager.js';
import type { TextureShareManager } from '../types.js';

interface NativeMetalStatus {
  available: boolean;
  reason?: string;
}

function metalStatus(): NativeMetalStatus {
  return (native().metal as NativeMetalStatus | undefined) ?? { available: false, reason: 'the addon has no Metal exports' };
}

/** @internal Probes Metal for `'auto'` and `geyser info`. */
export async function probeMetal(): Promise<BackendVerdict> {
  const status = metalStatus();
  return { backend: 'metal', usable: status.available, preferred: status.available, reason: status.available ? 'Metal device with IOSurface sharing' : (status.reason ?? 'unavailable') };
}

/** @internal Opens the Metal backend. */
export async function openMetalManager(_options: ManagerOptions): Promise<TextureShareManager> {
  const status = metalStatus();
  throw new GeyserError('MetalInitializationError', `the Metal backend cannot open: ${status.reason ?? 'the macOS build is not part of this release'}`);
}
