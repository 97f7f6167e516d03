// Placeholder until the host backend lands.
import { GeyserError } from '../errors.js';
import type { BackendVerdict } from '../backend-choice.js';
import type { ManagerOptions } from '../manager.js';
import type { TextureShareManager } from '../types.js';

/** @internal */
export async function probeHost(): Promise<BackendVerdict> {
  return { backend: 'host', usable: false, preferred: false, reason: 'not built yet' };
}

/** @internal */
export async function openHostManager(_options: ManagerOptions): Promise<TextureShareManager> {
  throw new GeyserError('BackendUnavailable', 'the host backend is not built yet');
}
