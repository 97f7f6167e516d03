// What one physical device is and can do, and how one is chosen. Selection explains itself
// (vk-bootstrap's detailed failure reasons): "GPU 0 (llvmpipe): no VK_KHR_external_memory_fd".
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vulkan/instance.h"

namespace geyser::vk {

struct ExternalSyncSupport {
  bool opaqueFd = false;  // exportable and importable as an opaque fd
  bool syncFd = false;    // exportable as a sync fd (copy transference)
  std::string reason;     // why not, when neither
};

struct PhysicalDeviceInfo {
  VkPhysicalDevice handle = VK_NULL_HANDLE;
  uint32_t index = 0;
  std::string name;
  VkPhysicalDeviceType type = VK_PHYSICAL_DEVICE_TYPE_OTHER;
  uint32_t apiVersion = 0;
  std::string driverName;  // VkPhysicalDeviceDriverProperties (1.2), "" before
  std::string driverInfo;
  std::string deviceUuid;  // hex, 32 digits
  std::string driverUuid;
  std::set<std::string> extensions;
  VkPhysicalDeviceMemoryProperties memory{};
  std::optional<uint32_t> queueFamily;  // first family with graphics or compute (implies transfer)
  bool timelineFeature = false;         // VkPhysicalDeviceTimelineSemaphoreFeatures::timelineSemaphore
  bool memoryFd = false;                // VK_KHR_external_memory_fd present
  // Storage images in r8/rg8/... formats (GLSL `layout(r8)`), and written without a format
  // qualifier: both enabled when present, so compute shaders can write single-plane YUV textures.
  bool storageExtendedFormats = false;
  bool storageWriteWithoutFormat = false;
  ExternalSyncSupport timelineSemaphore;
  ExternalSyncSupport binarySemaphore;
  ExternalSyncSupport fence;
  std::string rejectReason;  // "" when the device can share textures

  bool has(const char* extension) const { return extensions.count(extension) != 0; }
  // "GPU 0 (llvmpipe)": index and the name without its parenthesized suffix
  std::string label() const;
};

const char* DeviceTypeName(VkPhysicalDeviceType type);
std::string Hex(const uint8_t* bytes, size_t count);

// Describes every physical device of the instance (rejected ones included, with the reason).
Result<std::vector<PhysicalDeviceInfo>> DescribePhysicalDevices(const InstanceCore& instance);
// Describes one device (also used for an application's own VkPhysicalDevice).
PhysicalDeviceInfo DescribePhysicalDevice(const InstanceCore& instance, VkPhysicalDevice device, uint32_t index);

// Picks by index, by hex UUID, or the first usable device. The error lists every device and why
// it was rejected.
Result<size_t> SelectPhysicalDevice(const std::vector<PhysicalDeviceInfo>& devices, std::optional<uint32_t> index,
                                    const std::string& uuid);

}  // namespace geyser::vk

#endif
