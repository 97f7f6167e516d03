#ifdef GEYSER_WITH_VULKAN
#include "vulkan/physical_device.h"

#include <cstring>

#include "vulkan/vk_error.h"

namespace geyser::vk {

std::string PhysicalDeviceInfo::label() const {
  // "llvmpipe (LLVM 15.0.6, 256 bits)" -> "llvmpipe": the label is for messages; the full name is in info().
  std::string shortName = name.substr(0, name.find(" ("));
  return "GPU " + std::to_string(index) + " (" + shortName + ")";
}

const char* DeviceTypeName(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete-gpu";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated-gpu";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual-gpu";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "cpu";
    default: return "other";
  }
}

std::string Hex(const uint8_t* bytes, size_t count) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

namespace {

ExternalSyncSupport SemaphoreSupport(const InstanceCore& instance, const PhysicalDeviceInfo& info, bool timeline) {
  ExternalSyncSupport support;
  if (!info.has(VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME)) {
    support.reason = "no " VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME;
    return support;
  }
  if (timeline && !info.timelineFeature) {
    support.reason = "no timelineSemaphore feature";
    return support;
  }
  auto query = [&](VkExternalSemaphoreHandleTypeFlagBits type) {
    VkSemaphoreTypeCreateInfo typeInfo{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
    typeInfo.semaphoreType = timeline ? VK_SEMAPHORE_TYPE_TIMELINE : VK_SEMAPHORE_TYPE_BINARY;
    VkPhysicalDeviceExternalSemaphoreInfo in{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO};
    in.pNext = &typeInfo;
    in.handleType = type;
    VkExternalSemaphoreProperties out{VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES};
    instance.fns().GetPhysicalDeviceExternalSemaphoreProperties(info.handle, &in, &out);
    VkExternalSemaphoreFeatureFlags need =
        VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT | VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT;
    return (out.externalSemaphoreFeatures & need) == need;
  };
  support.opaqueFd = query(VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT);
  // Sync fds are binary-only by definition.
  support.syncFd = !timeline && query(VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT);
  if (!support.opaqueFd && !support.syncFd)
    support.reason = std::string(timeline ? "timeline" : "binary") + " semaphores are not exportable as fds";
  return support;
}

ExternalSyncSupport FenceSupport(const InstanceCore& instance, const PhysicalDeviceInfo& info) {
  ExternalSyncSupport support;
  if (!info.has(VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME)) {
    support.reason = "no " VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME;
    return support;
  }
  auto query = [&](VkExternalFenceHandleTypeFlagBits type) {
    VkPhysicalDeviceExternalFenceInfo in{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_FENCE_INFO};
    in.handleType = type;
    VkExternalFenceProperties out{VK_STRUCTURE_TYPE_EXTERNAL_FENCE_PROPERTIES};
    instance.fns().GetPhysicalDeviceExternalFenceProperties(info.handle, &in, &out);
    VkExternalFenceFeatureFlags need = VK_EXTERNAL_FENCE_FEATURE_EXPORTABLE_BIT | VK_EXTERNAL_FENCE_FEATURE_IMPORTABLE_BIT;
    return (out.externalFenceFeatures & need) == need;
  };
  support.opaqueFd = query(VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT);
  support.syncFd = query(VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT);
  if (!support.opaqueFd && !support.syncFd) support.reason = "fences are not exportable as fds";
  return support;
}

}  // namespace

PhysicalDeviceInfo DescribePhysicalDevice(const InstanceCore& instance, VkPhysicalDevice device, uint32_t index) {
  const InstanceFns& fns = instance.fns();
  PhysicalDeviceInfo info;
  info.handle = device;
  info.index = index;

  VkPhysicalDeviceProperties basic{};
  fns.GetPhysicalDeviceProperties(device, &basic);
  info.apiVersion = basic.apiVersion;

  VkPhysicalDeviceIDProperties ids{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
  VkPhysicalDeviceDriverProperties driver{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES};
  bool driverProps = basic.apiVersion >= VK_API_VERSION_1_2 && instance.apiVersion() >= VK_API_VERSION_1_2;
  if (driverProps) ids.pNext = &driver;
  VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
  props.pNext = &ids;
  fns.GetPhysicalDeviceProperties2(device, &props);
  info.name = props.properties.deviceName;
  info.type = props.properties.deviceType;
  info.deviceUuid = Hex(ids.deviceUUID, VK_UUID_SIZE);
  info.driverUuid = Hex(ids.driverUUID, VK_UUID_SIZE);
  if (driverProps) {
    info.driverName = driver.driverName;
    info.driverInfo = driver.driverInfo;
  }

  uint32_t count = 0;
  fns.EnumerateDeviceExtensionProperties(device, nullptr, &count, nullptr);
  std::vector<VkExtensionProperties> extensions(count);
  if (fns.EnumerateDeviceExtensionProperties(device, nullptr, &count, extensions.data()) >= VK_SUCCESS) {
    for (uint32_t i = 0; i < count; ++i) info.extensions.insert(extensions[i].extensionName);
  }

  VkPhysicalDeviceTimelineSemaphoreFeatures timeline{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_TIMELINE_SEMAPHORE_FEATURES};
  VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  bool canAskTimeline = info.apiVersion >= VK_API_VERSION_1_2 || info.has(VK_KHR_TIMELINE_SEMAPHORE_EXTENSION_NAME);
  if (canAskTimeline) features.pNext = &timeline;
  fns.GetPhysicalDeviceFeatures2(device, &features);
  info.storageExtendedFormats = features.features.shaderStorageImageExtendedFormats == VK_TRUE;
  info.storageWriteWithoutFormat = features.features.shaderStorageImageWriteWithoutFormat == VK_TRUE;
  info.timelineFeature = canAskTimeline && timeline.timelineSemaphore == VK_TRUE &&
                         instance.apiVersion() >= VK_API_VERSION_1_2;

  fns.GetPhysicalDeviceMemoryProperties(device, &info.memory);

  fns.GetPhysicalDeviceQueueFamilyProperties(device, &count, nullptr);
  std::vector<VkQueueFamilyProperties> families(count);
  fns.GetPhysicalDeviceQueueFamilyProperties(device, &count, families.data());
  for (uint32_t i = 0; i < count; ++i) {
    if (families[i].queueCount > 0 && (families[i].queueFlags & (VK_QUEUE_GRAPHICS_BIT | VK_QUEUE_COMPUTE_BIT))) {
      info.queueFamily = i;
      break;
    }
  }

  info.memoryFd = info.has(VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME);
  info.timelineSemaphore = SemaphoreSupport(instance, info, true);
  info.binarySemaphore = SemaphoreSupport(instance, info, false);
  info.fence = FenceSupport(instance, info);

  if (info.apiVersion < VK_API_VERSION_1_1) {
    info.rejectReason = "Vulkan 1.0 device; Geyser needs 1.1";
  } else if (!info.memoryFd) {
    info.rejectReason = "no " VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME;
  } else if (!info.queueFamily) {
    info.rejectReason = "no graphics or compute queue family";
  }
  return info;
}

Result<std::vector<PhysicalDeviceInfo>> DescribePhysicalDevices(const InstanceCore& instance) {
  uint32_t count = 0;
  VkResult result = instance.fns().EnumeratePhysicalDevices(instance.handle(), &count, nullptr);
  if (result != VK_SUCCESS) return ApiError("vkEnumeratePhysicalDevices", result, "VulkanInitializationError");
  std::vector<VkPhysicalDevice> handles(count);
  result = instance.fns().EnumeratePhysicalDevices(instance.handle(), &count, handles.data());
  if (result < VK_SUCCESS) return ApiError("vkEnumeratePhysicalDevices", result, "VulkanInitializationError");
  std::vector<PhysicalDeviceInfo> devices;
  for (uint32_t i = 0; i < count; ++i) devices.push_back(DescribePhysicalDevice(instance, handles[i], i));
  return devices;
}

Result<size_t> SelectPhysicalDevice(const std::vector<PhysicalDeviceInfo>& devices, std::optional<uint32_t> index,
                                    const std::string& uuid) {
  if (devices.empty()) return MakeError("VulkanInitializationError", "no Vulkan physical devices were found");
  std::string reasons;
  for (size_t i = 0; i < devices.size(); ++i) {
    const PhysicalDeviceInfo& device = devices[i];
    std::string why = device.rejectReason;
    if (why.empty() && index && *index != device.index) why = "not deviceIndex " + std::to_string(*index);
    if (why.empty() && !uuid.empty() && uuid != device.deviceUuid) why = "deviceUuid is " + device.deviceUuid + ", not " + uuid;
    if (why.empty()) return i;
    reasons += "\n  " + device.label() + ": " + why;
  }
  return MakeError("VulkanInitializationError", "no Vulkan device can share textures:" + reasons);
}

}  // namespace geyser::vk
#endif
