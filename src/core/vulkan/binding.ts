/**
 * The Vulkan part of the native addon (`native/vulkan/`), typed. Every call takes one flat, fully
 * defaulted plain object built in this folder; C++ never sees a half-specified options bag.
 *
 * @internal
 * @module
 */
import { GeyserError } from '../errors.js';
import { callNative, native } from '../native.js';
import type { NativeDispatch } from './compute.js';

/** A physical device as the addon describes it. */
export interface NativePhysicalDevice {
  index: number;
  name: string;
  type: 'discrete-gpu' | 'integrated-gpu' | 'virtual-gpu' | 'cpu' | 'other';
  deviceUuid: string;
  driverUuid: string;
  driver: string;
  apiVersion: string;
  /** '' when the device can share textures; else why not ("no VK_KHR_external_memory_fd"). */
  rejectReason: string;
  /** "GPU 0 (llvmpipe)". */
  label: string;
  timelineSemaphoreFd: boolean;
  fenceFd: boolean;
}

/** Whether a sync object kind can be exported, per handle type; `reason` says why not (opaque fd). */
export interface NativeSyncSupport {
  opaqueFd: boolean;
  syncFd: boolean;
  reason: string;
}

/** `Device.info()`. */
export interface NativeDeviceInfo extends NativePhysicalDevice {
  owned: boolean;
  timeline: boolean;
  timelineSemaphore: NativeSyncSupport;
  binarySemaphore: NativeSyncSupport;
  fence: NativeSyncSupport;
}

/** Raw Vulkan handles of a device, for `VulkanTextureShareManager.fromExisting`. */
export interface NativeRawHandles {
  instance: bigint;
  physicalDevice: bigint;
  device: bigint;
  queueFamilyIndex: number;
  apiVersion: number;
}

/** The options `new Device()` takes. */
export interface NativeDeviceOptions {
  /** -1: the first usable device. */
  deviceIndex: number;
  /** '' for any. */
  deviceUuid: string;
  existing: null | (Omit<NativeRawHandles, 'queueFamilyIndex'> & { queueFamilyIndex: number; queueIndex: number });
}

/** A `VkDevice` with its queue (native/vulkan/napi_device.cc). */
export interface NativeDevice {
  info(): NativeDeviceInfo;
  formatSupport(query: { formatIndex: number; usageMask: number }): { supported: boolean; reason: string; vkFormat: string };
  liveAllocations(): number;
  rawHandles(): NativeRawHandles;
  submitSignal(semaphore: NativeSemaphore, value: number): void;
  submitWait(semaphore: NativeSemaphore, value: number): void;
  /** Records, submits and waits for one compute dispatch (native/vulkan/napi_compute.cc). */
  dispatchCompute(dispatch: NativeDispatch): void;
  /** The same on a worker thread; settles when the dispatch's fence signals. */
  dispatchComputeAsync(dispatch: NativeDispatch): Promise<void>;
  /** Compute pipelines cached on the device. */
  cachedPipelines(): number;
  close(): void;
}

/** The options `new Image()` takes; `import` set: import from that fd instead of creating. */
export interface NativeImageOptions {
  width: number;
  height: number;
  formatIndex: number;
  usageMask: number;
  import: null | { fd: number; size: number; memoryTypeIndex: number; dedicated: boolean };
}

/** A `VkImage` on exportable memory (native/vulkan/napi_image.cc). */
export interface NativeImage {
  info(): { size: number; memoryTypeIndex: number; dedicated: boolean; vkFormat: string };
  exportFd(): number;
  write(data: Uint8Array): void;
  read(): Uint8Array;
  /** Reads into `target`, which must hold exactly the image's tightly packed bytes. */
  readInto(target: Uint8Array): void;
  close(): void;
}

/** A `VkSemaphore` (native/vulkan/napi_sync.cc). */
export interface NativeSemaphore {
  exportFd(): number;
  signal(value: number): void;
  value(): number;
  /** `timeoutMs` < 0: forever. */
  wait(value: number, timeoutMs: number): Promise<void>;
  close(): void;
}

/** A `VkFence` (native/vulkan/napi_sync.cc). */
export interface NativeFence {
  exportFd(): number;
  signaled(): boolean;
  reset(): void;
  signal(): void;
  wait(timeoutMs: number): Promise<void>;
  close(): void;
}

/** The addon's `vulkan` export. */
export interface VulkanBinding {
  available: boolean;
  reason: string;
  Device: { new (options: NativeDeviceOptions): NativeDevice; listDevices(): NativePhysicalDevice[] };
  Image: new (device: NativeDevice, options: NativeImageOptions) => NativeImage;
  Semaphore: new (
    device: NativeDevice,
    options: { timeline: boolean; initialValue: number; handleType: number; importFd: number; exportable: boolean },
  ) => NativeSemaphore;
  Fence: new (device: NativeDevice, options: { signaled: boolean; handleType: number; importFd: number }) => NativeFence;
}

/** Handle type codes the addon uses for semaphores and fences. */
export const SYNC_HANDLE_CODES = { 'opaque-fd': 0, 'sync-fd': 1 } as const;

/** The addon's Vulkan binding; throws `BackendUnavailable` (with the reason) where it cannot work. */
export function vulkanBinding(): VulkanBinding {
  const binding = native().vulkan as VulkanBinding | undefined;
  if (binding === undefined || !binding.available) {
    throw new GeyserError('BackendUnavailable', `the Vulkan backend is unavailable: ${binding?.reason ?? 'the addon has no vulkan export'}`);
  }
  return binding;
}

/** The fd helpers of `native/common`. */
export function fdHelpers(): { closeFd(fd: number): void; isFdOpen(fd: number): boolean } {
  return native() as unknown as { closeFd(fd: number): void; isFdOpen(fd: number): boolean };
}

/** Lists the physical devices (each with why it cannot share textures, if so). */
export function listPhysicalDevices(): NativePhysicalDevice[] {
  const binding = vulkanBinding();
  return callNative(() => binding.Device.listDevices());
}
