/**
 * The option objects of the Vulkan backend and their validation (one message shape, misspelled
 * keys caught), each resolved to a fully defaulted value before any native call.
 *
 * @module
 */
import { GeyserError } from '../errors.js';
import { checkKnownKeys, expectedMessage, isInteger, isPlainObject } from '../validate.js';
import { checkCounterValue, type VulkanSyncHandleType } from './semaphore.js';

/**
 * An application's own Vulkan objects, as raw handles (bigint, e.g. from another native module),
 * for {@link VulkanTextureShareManager.fromExisting}. The device must have been created with
 * `VK_KHR_external_memory_fd` (and `VK_KHR_external_semaphore_fd`/`_fence_fd` plus the
 * timelineSemaphore feature for sync export).
 */
export interface ExistingVulkanObjects {
  /** `VkInstance`. */
  instance: bigint;
  /** `VkPhysicalDevice` the device was created on. */
  physicalDevice: bigint;
  /** `VkDevice`. */
  device: bigint;
  /** Queue family that submissions go to. */
  queueFamilyIndex: number;
  /** Queue index in that family (default 0). */
  queueIndex?: number;
  /** `VkApplicationInfo.apiVersion` the instance was created with (default Vulkan 1.2). */
  apiVersion?: number;
}

/** Options for {@link VulkanTextureShareManager.createExportableSemaphore}. */
export interface VulkanSemaphoreOptions {
  /** Timeline (default true) or binary. */
  timeline?: boolean;
  /** Starting counter value (timeline; default 0). */
  initialValue?: number;
  /** `'opaque-fd'` (default) or `'sync-fd'` (binary only, where the driver supports it). */
  handleType?: VulkanSyncHandleType;
}

/** Options for {@link VulkanTextureShareManager.createExportableFence}. */
export interface VulkanFenceOptions {
  /** Create it signaled (default false). */
  signaled?: boolean;
  /** `'opaque-fd'` (default) or `'sync-fd'`. */
  handleType?: VulkanSyncHandleType;
}

/** `VK_MAKE_API_VERSION(0, 1, 2, 0)`: the default `apiVersion` of a borrowed instance. */
const VK_API_VERSION_1_2 = (1 << 22) | (2 << 12);

/**
 * Validates {@link ExistingVulkanObjects} and fills in the defaults.
 *
 * @internal
 */
export function resolveExisting(objects: unknown): Required<ExistingVulkanObjects> {
  if (!isPlainObject(objects)) throw new TypeError(expectedMessage('an ExistingVulkanObjects object', 'objects', objects));
  checkKnownKeys(objects, ['instance', 'physicalDevice', 'device', 'queueFamilyIndex', 'queueIndex', 'apiVersion'], 'VulkanTextureShareManager.fromExisting');
  const handles: bigint[] = [];
  for (const field of ['instance', 'physicalDevice', 'device'] as const) {
    const value = objects[field];
    if (typeof value !== 'bigint' || value <= 0n || value >= 1n << 64n) {
      throw new GeyserError('InvalidDescriptor', expectedMessage('non-zero 64-bit bigint handle', `objects.${field}`, value));
    }
    handles.push(value);
  }
  const numbers: number[] = [];
  for (const [field, value] of [['queueFamilyIndex', objects.queueFamilyIndex], ['queueIndex', objects.queueIndex ?? 0], ['apiVersion', objects.apiVersion ?? VK_API_VERSION_1_2]] as const) {
    if (!isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new GeyserError('InvalidDescriptor', expectedMessage('non-negative 32-bit integer', `objects.${field}`, value));
    }
    numbers.push(value);
  }
  const [instance, physicalDevice, device] = handles as [bigint, bigint, bigint];
  const [queueFamilyIndex, queueIndex, apiVersion] = numbers as [number, number, number];
  return { instance, physicalDevice, device, queueFamilyIndex, queueIndex, apiVersion };
}

/**
 * Validates {@link VulkanSemaphoreOptions} and fills in the defaults.
 *
 * @internal
 */
export function resolveSemaphoreOptions(options: unknown): Required<VulkanSemaphoreOptions> {
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
  checkKnownKeys(options, ['timeline', 'initialValue', 'handleType'], 'createExportableSemaphore');
  return {
    timeline: checkBoolean(options.timeline, true, 'timeline'),
    initialValue: checkCounterValue(options.initialValue ?? 0, 'initialValue'),
    handleType: checkSyncHandleType(options.handleType),
  };
}

/**
 * Validates {@link VulkanFenceOptions} and fills in the defaults.
 *
 * @internal
 */
export function resolveFenceOptions(options: unknown): Required<VulkanFenceOptions> {
  if (!isPlainObject(options)) throw new TypeError(expectedMessage('an options object', 'options', options));
  checkKnownKeys(options, ['signaled', 'handleType'], 'createExportableFence');
  return { signaled: checkBoolean(options.signaled, false, 'signaled'), handleType: checkSyncHandleType(options.handleType) };
}

function checkBoolean(value: unknown, fallback: boolean, field: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new GeyserError('InvalidDescriptor', expectedMessage('boolean', field, value));
  return value;
}

function checkSyncHandleType(value: unknown): VulkanSyncHandleType {
  if (value === undefined) return 'opaque-fd';
  if (value !== 'opaque-fd' && value !== 'sync-fd') throw new GeyserError('InvalidDescriptor', expectedMessage("'opaque-fd' or 'sync-fd'", 'handleType', value));
  return value;
}

