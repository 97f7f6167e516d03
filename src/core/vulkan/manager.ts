// Placeholder until the Vulkan backend lands.
import { GeyserError } from '../errors.js';
import type { BackendVerdict } from '../backend-choice.js';
import type { ManagerOptions } from '../manager.js';
import type { TextureShareManager } from '../types.js';

/** @internal */
export async function probeVulkan(_options: ManagerOptions): Promise<BackendVerdict> {
  return { backend: 'vulkan', usable: false, preferred: false, reason: 'not built yet' };
}

/** @internal */
export async function openVulkanManager(_options: ManagerOptions): Promise<TextureShareManager> {
  throw new GeyserError('BackendUnavailable', 'the Vulkan backend is not built yet');
}
