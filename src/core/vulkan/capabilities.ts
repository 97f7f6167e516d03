/**
 * Builds `Capabilities` for a Vulkan device from what the driver reports: format support from
 * `vkGetPhysicalDeviceImageFormatProperties2` with external-memory info, sync export support from
 * the external semaphore/fence queries.
 *
 * @internal
 * @module
 */
import { ALL_FORMATS, formatInfo, type TextureFormat } from '../formats.js';
import type { Capabilities, DeviceInfo, ExternalHandleType } from '../types.js';
import type { NativeDevice, NativeDeviceInfo } from './binding.js';
import { CAPABILITY_PROBE_USAGE, formatIndex, usageMask } from './format-map.js';

/** The `DeviceInfo` part. */
export function deviceInfoOf(info: NativeDeviceInfo): DeviceInfo {
  return {
    index: info.index,
    name: info.name,
    type: info.type,
    deviceUuid: info.deviceUuid,
    driverUuid: info.driverUuid,
    driver: info.driver || undefined,
    apiVersion: info.apiVersion,
  };
}

/** Queries the device once and describes what it can share. */
export function buildCapabilities(device: NativeDevice, info: NativeDeviceInfo): Capabilities {
  const formats: Capabilities['formats'] = {};
  const unsupportedFormats: Capabilities['unsupportedFormats'] = {};
  const mask = usageMask(CAPABILITY_PROBE_USAGE);
  for (const format of ALL_FORMATS as readonly TextureFormat[]) {
    const support = device.formatSupport({ formatIndex: formatIndex(format), usageMask: mask });
    if (support.supported) formats[format] = { copyable: formatInfo(format).copyable };
    else unsupportedFormats[format] = support.reason;
  }
  const semaphoreTypes: ExternalHandleType[] = [];
  if (info.timelineSemaphore.opaqueFd || info.binarySemaphore.opaqueFd) semaphoreTypes.push('opaque-fd');
  if (info.binarySemaphore.syncFd) semaphoreTypes.push('sync-fd');
  const fenceTypes: ExternalHandleType[] = [];
  if (info.fence.opaqueFd) fenceTypes.push('opaque-fd');
  if (info.fence.syncFd) fenceTypes.push('sync-fd');
  const semaphoreExportable = semaphoreTypes.length > 0;
  return {
    backend: 'vulkan',
    device: deviceInfoOf(info),
    formats,
    unsupportedFormats,
    memory: { exportable: true, handleTypes: ['opaque-fd'] },
    semaphore: {
      exportable: semaphoreExportable,
      timeline: info.timelineSemaphore.opaqueFd,
      handleTypes: semaphoreTypes,
      reason: semaphoreExportable ? undefined : info.binarySemaphore.reason,
    },
    fence: { exportable: fenceTypes.length > 0, handleTypes: fenceTypes, reason: fenceTypes.length > 0 ? undefined : info.fence.reason },
    cpuMappable: false,
  };
}
