/**
 * `createTextureShareManager`: picks and opens a backend.
 *
 * @module
 */
import { GeyserError } from './errors.js';
import type { BackendChoice, BackendName, TextureShareManager } from './types.js';
import { checkKnownKeys, expectedMessage, isPlainObject } from './validate.js';

/** Options for {@link createTextureShareManager}. */
export interface ManagerOptions {
  /**
   * Which backend: `'vulkan'`, `'host'` (memfd shared memory, no GPU), `'metal'` (macOS), or
   * `'auto'` (default; also `GEYSER_BACKEND`): Vulkan on a GPU that can export memory, else host.
   */
  backend?: BackendChoice;
  /** Vulkan: index of the physical device to use (default: the first that fits). */
  deviceIndex?: number;
  /** Vulkan: hex deviceUUID of the physical device to use. */
  deviceUuid?: string;
}

/** Opens one backend; each lives in its own folder and is loaded only when asked for. */
type BackendOpener = (options: ManagerOptions) => Promise<TextureShareManager>;

const openers: Record<BackendName, BackendOpener> = {
  host: async (options) => (await import('./host/manager.js')).openHostManager(options),
  vulkan: async (options) => (await import('./vulkan/manager.js')).openVulkanManager(options),
  metal: async (options) => (await import('./metal/manager.js')).openMetalManager(options),
};

const CHOICES: readonly BackendChoice[] = ['auto', 'vulkan', 'host', 'metal'];

/** Validates options and resolves `backend` from the options or `GEYSER_BACKEND`. */
export function resolveManagerOptions(options: unknown): Required<Pick<ManagerOptions, 'backend'>> & ManagerOptions {
  if (options === undefined) options = {};
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
  checkKnownKeys(options, ['backend', 'deviceIndex', 'deviceUuid'], 'createTextureShareManager');
  const backend = (options.backend ?? process.env.GEYSER_BACKEND ?? 'auto') as BackendChoice;
  if (!CHOICES.includes(backend)) {
    throw new GeyserError('BackendUnavailable', expectedMessage(`one of ${CHOICES.join(', ')}`, 'backend', backend));
  }
  if (options.deviceIndex !== undefined && (!Number.isInteger(options.deviceIndex) || (options.deviceIndex as number) < 0)) {
    throw new TypeError(expectedMessage('non-negative integer', 'deviceIndex', options.deviceIndex));
  }
  if (options.deviceUuid !== undefined && (typeof options.deviceUuid !== 'string' || !/^[0-9a-f]{32}$/i.test(options.deviceUuid))) {
    throw new TypeError(expectedMessage('32 hex digits', 'deviceUuid', options.deviceUuid));
  }
  return { ...(options as ManagerOptions), backend };
}

/**
 * Opens a texture-share manager on the chosen backend.
 *
 * With `'auto'`, Geyser takes Vulkan when a GPU device can export memory across processes, and
 * otherwise the host backend (memfd shared memory). A CPU Vulkan device (lavapipe) is not picked
 * by `'auto'`: it shares memory correctly but is slower than the host backend and cannot export
 * semaphores; ask for it with `backend: 'vulkan'`.
 *
 * @example
 * ```ts
 * import { createTextureShareManager } from 'geyser';
 * const manager = await createTextureShareManager({ backend: 'auto' });
 * console.log(manager.backend); // 'vulkan' on a GPU, 'host' elsewhere
 * manager.dispose();
 * ```
 * @param options - backend choice and device selection; see {@link ManagerOptions}
 * @throws {@link GeyserError} `BackendUnavailable`, `VulkanInitializationError` or
 *   `MetalInitializationError` when the requested backend cannot open, naming why.
 */
export async function createTextureShareManager(options?: ManagerOptions): Promise<TextureShareManager> {
  const resolved = resolveManagerOptions(options);
  if (resolved.backend !== 'auto') return openers[resolved.backend](resolved);
  const { chooseAutoBackend } = await import('./backend-choice.js');
  const choice = await chooseAutoBackend(resolved);
  return openers[choice.backend](resolved);
}
