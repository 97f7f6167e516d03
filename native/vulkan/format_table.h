// The 21 Geyser formats -> VkFormat (indexed in the order of ALL_FORMATS in src/core/formats.ts),
// usages -> VkImageUsageFlags, and the up-front support check for exportable images
// (vkGetPhysicalDeviceImageFormatProperties2 + VkPhysicalDeviceExternalImageFormatInfo), so an
// unsupported combination fails at create time naming format, usage and reason.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <string>

#include "vulkan/instance.h"
#include "vulkan/physical_device.h"

namespace geyser::vk {

constexpr uint32_t kFormatCount = 21;

// Usage bits as TS sends them (src/core/vulkan/format-map.ts).
enum UsageBit : uint32_t {
  kUsageCopySrc = 1,
  kUsageCopyDst = 2,
  kUsageTextureBinding = 4,
  kUsageRenderAttachment = 8,
  kUsageStorageBinding = 16,
};

struct FormatEntry {
  const char* name;        // WebGPU spelling
  VkFormat preferred;      // first choice
  VkFormat fallback;       // used where `preferred` is unsupported (VK_FORMAT_UNDEFINED: none)
  VkImageAspectFlags aspect;
  uint32_t texelBytes;     // bytes per texel in tightly packed copies
};

const FormatEntry& FormatAt(uint32_t index);
const char* FormatName(VkFormat format);
VkImageUsageFlags UsageFlags(uint32_t usageMask, VkImageAspectFlags aspect);
std::string UsageNames(uint32_t usageMask);

struct ResolvedFormat {
  VkFormat format = VK_FORMAT_UNDEFINED;
  VkImageAspectFlags aspect = 0;
  VkImageUsageFlags usage = 0;
  uint32_t texelBytes = 0;
  bool dedicatedOnly = false;  // the driver requires a dedicated allocation
};

// Picks the VkFormat for `formatIndex` and checks an optimal-tiling 2D image of `usageMask`
// and size can be created, exported and imported as an opaque fd. Fails with FormatNotSupported.
Result<ResolvedFormat> ResolveExternalFormat(const InstanceCore& instance, const PhysicalDeviceInfo& physical,
                                             uint32_t formatIndex, uint32_t usageMask, uint32_t width, uint32_t height);

}  // namespace geyser::vk

#endif
