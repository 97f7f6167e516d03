/**
 * `probeVulkan`: whether the Vulkan backend can open here and whether `'auto'` should take it.
 *
 * @internal
 * @module
 */
import type { BackendVerdict } from '../backend-choice.js';
import type { ManagerOptions } from '../manager.js';
import { listPhysicalDevices, type NativePhysicalDevice } from './binding.js';

/** Why `device` does not fit `options`, or '' when it does (mirrors native SelectPhysicalDevice). */
export function rejectionOf(device: NativePhysicalDevice, options: ManagerOptions): string {
  if (device.rejectReason) return device.rejectReason;
  if (options.deviceIndex !== undefined && options.deviceIndex !== device.index) return `not deviceIndex ${options.deviceIndex}`;
  if (options.deviceUuid !== undefined && options.deviceUuid.toLowerCase() !== device.deviceUuid) {
    return `deviceUuid is ${device.deviceUuid}, not ${options.deviceUuid.toLowerCase()}`;
  }
  return '';
}

/**
 * Usable when a device can export memory as an opaque fd; preferred only for a real GPU (a CPU
 * device such as lavapipe works but the host backend is faster and it cannot export semaphores).
 */
export async function probeVulkan(options: ManagerOptions): Promise<BackendVerdict> {
  let devices: NativePhysicalDevice[];
  try {
    devices = listPhysicalDevices();
  } catch (error) {
    return { backend: 'vulkan', usable: false, preferred: false, reason: (error as Error).message };
  }
  if (devices.length === 0) return { backend: 'vulkan', usable: false, preferred: false, reason: 'no Vulkan physical devices were found' };
  const reasons: string[] = [];
  for (const device of devices) {
    const why = rejectionOf(device, options);
    if (why) {
      reasons.push(`${device.label}: ${why}`);
      continue;
    }
    if (device.type === 'cpu') {
      return { backend: 'vulkan', usable: true, preferred: false, reason: `${device.label}: CPU device; the host backend is faster` };
    }
    const shared = ['memory', ...(device.timelineSemaphoreFd ? ['semaphore'] : []), ...(device.fenceFd ? ['fence'] : [])];
    return { backend: 'vulkan', usable: true, preferred: true, reason: `${device.label}: external ${shared.join('/')} fd` };
  }
  return { backend: 'vulkan', usable: false, preferred: false, reason: reasons.join('; ') };
}
