/**
 * Probing and opening the host backend (loaded only when asked for).
 *
 * @internal
 * @module
 */
import type { BackendVerdict } from '../backend-choice.js';
import { GeyserError } from '../errors.js';
import type { ManagerOptions } from '../manager.js';
import { callNative } from '../native.js';
import type { TextureShareManager } from '../types.js';
import { hostNative } from './host-native.js';
import { HostTextureShareManager } from './host-texture-share-manager.js';

/** Why the host backend cannot run here, or undefined when it can. */
function unavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `memfd shared memory needs Linux; this is ${process.platform}`;
  try {
    callNative(() => hostNative().probe());
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Whether the host backend works here: the addon loads and a sealed memfd can be created and
 * mapped. Never preferred: `'auto'` takes it when no GPU Vulkan device is usable.
 */
export async function probeHost(): Promise<BackendVerdict> {
  const reason = unavailableReason();
  if (reason !== undefined) return { backend: 'host', usable: false, preferred: false, reason };
  return { backend: 'host', usable: true, preferred: false, reason: 'memfd shared memory works (the fallback when no GPU Vulkan device is usable)' };
}

/** Opens a host manager; it has one device, index 0. */
export async function openHostManager(options: ManagerOptions): Promise<TextureShareManager> {
  const reason = unavailableReason();
  if (reason !== undefined) throw new GeyserError('BackendUnavailable', `the host backend cannot open: ${reason}`);
  if (options.deviceIndex !== undefined && options.deviceIndex !== 0) {
    throw new GeyserError('BackendUnavailable', `the host backend has one device (index 0); deviceIndex ${options.deviceIndex} does not exist`);
  }
  return new HostTextureShareManager();
}
