#ifdef GEYSER_WITH_VULKAN
#include "vulkan/format_table.h"

#include "vulkan/vk_error.h"

namespace geyser::vk {
namespace {

constexpr VkImageAspectFlags kColor = VK_IMAGE_ASPECT_COLOR_BIT;
constexpr VkImageAspectFlags kDepth = VK_IMAGE_ASPECT_DEPTH_BIT;
constexpr VkImageAspectFlags kDepthStencil = VK_IMAGE_ASPECT_DEPTH_BIT | VK_IMAGE_ASPECT_STENCIL_BIT;

const FormatEntry kFormats[kFormatCount] = {
    {"rgba8unorm", VK_FORMAT_R8G8B8A8_UNORM, VK_FORMAT_UNDEFINED, kColor, 4},
    {"bgra8unorm", VK_FORMAT_B8G8R8A8_UNORM, VK_FORMAT_UNDEFINED, kColor, 4},
    {"rgba8unorm-srgb", VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_UNDEFINED, kColor, 4},
    {"bgra8unorm-srgb", VK_FORMAT_B8G8R8A8_SRGB, VK_FORMAT_UNDEFINED, kColor, 4},
    {"r8unorm", VK_FORMAT_R8_UNORM, VK_FORMAT_UNDEFINED, kColor, 1},
    {"rg8unorm", VK_FORMAT_R8G8_UNORM, VK_FORMAT_UNDEFINED, kColor, 2},
    {"r16float", VK_FORMAT_R16_SFLOAT, VK_FORMAT_UNDEFINED, kColor, 2},
    {"rg16float", VK_FORMAT_R16G16_SFLOAT, VK_FORMAT_UNDEFINED, kColor, 4},
    {"rgba16float", VK_FORMAT_R16G16B16A16_SFLOAT, VK_FORMAT_UNDEFINED, kColor, 8},
    {"r16uint", VK_FORMAT_R16_UINT, VK_FORMAT_UNDEFINED, kColor, 2},
    {"r16sint", VK_FORMAT_R16_SINT, VK_FORMAT_UNDEFINED, kColor, 2},
    {"r32float", VK_FORMAT_R32_SFLOAT, VK_FORMAT_UNDEFINED, kColor, 4},
    {"rg32float", VK_FORMAT_R32G32_SFLOAT, VK_FORMAT_UNDEFINED, kColor, 8},
    {"rgba32float", VK_FORMAT_R32G32B32A32_SFLOAT, VK_FORMAT_UNDEFINED, kColor, 16},
    {"r32uint", VK_FORMAT_R32_UINT, VK_FORMAT_UNDEFINED, kColor, 4},
    {"r32sint", VK_FORMAT_R32_SINT, VK_FORMAT_UNDEFINED, kColor, 4},
    {"depth32float", VK_FORMAT_D32_SFLOAT, VK_FORMAT_UNDEFINED, kDepth, 4},
    // WebGPU's "24 bits or more": X8_D24 where the device has it, else 32-bit float depth.
    {"depth24plus", VK_FORMAT_X8_D24_UNORM_PACK32, VK_FORMAT_D32_SFLOAT, kDepth, 4},
    {"depth24plus-stencil8", VK_FORMAT_D24_UNORM_S8_UINT, VK_FORMAT_D32_SFLOAT_S8_UINT, kDepthStencil, 4},
    // Vulkan's PACK32 names list components from the most significant bit: A2B10G10R10 has red
    // in the low bits, which is WebGPU's rgb10a2unorm (A2R10G10B10 would swap red and blue).
    {"rgb10a2unorm", VK_FORMAT_A2B10G10R10_UNORM_PACK32, VK_FORMAT_UNDEFINED, kColor, 4},
    {"rg11b10ufloat", VK_FORMAT_B10G11R11_UFLOAT_PACK32, VK_FORMAT_UNDEFINED, kColor, 4},
};

struct Query {
  bool ok = false;
  std::string reason;
  bool dedicatedOnly = false;
  VkExtent3D maxExtent{};
};

Query QueryImage(const InstanceCore& instance, const PhysicalDeviceInfo& physical, VkFormat format, VkImageUsageFlags usage) {
  Query query;
  VkPhysicalDeviceExternalImageFormatInfo external{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_IMAGE_FORMAT_INFO};
  external.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
  VkPhysicalDeviceImageFormatInfo2 in{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_IMAGE_FORMAT_INFO_2};
  in.pNext = &external;
  in.format = format;
  in.type = VK_IMAGE_TYPE_2D;
  in.tiling = VK_IMAGE_TILING_OPTIMAL;
  in.usage = usage;
  VkExternalImageFormatProperties externalOut{VK_STRUCTURE_TYPE_EXTERNAL_IMAGE_FORMAT_PROPERTIES};
  VkImageFormatProperties2 out{VK_STRUCTURE_TYPE_IMAGE_FORMAT_PROPERTIES_2};
  out.pNext = &externalOut;
  VkResult result = instance.fns().GetPhysicalDeviceImageFormatProperties2(physical.handle, &in, &out);
  if (result != VK_SUCCESS) {
    query.reason = std::string("vkGetPhysicalDeviceImageFormatProperties2 returned ") + ResultName(result);
    return query;
  }
  VkExternalMemoryFeatureFlags features = externalOut.externalMemoryProperties.externalMemoryFeatures;
  if (!(features & VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT)) {
    query.reason = "its memory cannot be exported as an opaque fd";
    return query;
  }
  if (!(features & VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT)) {
    query.reason = "its memory cannot be imported from an opaque fd";
    return query;
  }
  query.ok = true;
  query.dedicatedOnly = (features & VK_EXTERNAL_MEMORY_FEATURE_DEDICATED_ONLY_BIT) != 0;
  query.maxExtent = out.imageFormatProperties.maxExtent;
  return query;
}

}  // namespace

const FormatEntry& FormatAt(uint32_t index) { return kFormats[index < kFormatCount ? index : 0]; }

const char* FormatName(VkFormat format) {
  switch (format) {
    case VK_FORMAT_X8_D24_UNORM_PACK32: return "VK_FORMAT_X8_D24_UNORM_PACK32";
    case VK_FORMAT_D32_SFLOAT: return "VK_FORMAT_D32_SFLOAT";
    case VK_FORMAT_D24_UNORM_S8_UINT: return "VK_FORMAT_D24_UNORM_S8_UINT";
    case VK_FORMAT_D32_SFLOAT_S8_UINT: return "VK_FORMAT_D32_SFLOAT_S8_UINT";
    case VK_FORMAT_A2B10G10R10_UNORM_PACK32: return "VK_FORMAT_A2B10G10R10_UNORM_PACK32";
    case VK_FORMAT_B10G11R11_UFLOAT_PACK32: return "VK_FORMAT_B10G11R11_UFLOAT_PACK32";
    case VK_FORMAT_B8G8R8A8_UNORM: return "VK_FORMAT_B8G8R8A8_UNORM";
    case VK_FORMAT_B8G8R8A8_SRGB: return "VK_FORMAT_B8G8R8A8_SRGB";
    case VK_FORMAT_R8G8B8A8_UNORM: return "VK_FORMAT_R8G8B8A8_UNORM";
    case VK_FORMAT_R8G8B8A8_SRGB: return "VK_FORMAT_R8G8B8A8_SRGB";
    case VK_FORMAT_R8_UNORM: return "VK_FORMAT_R8_UNORM";
    case VK_FORMAT_R8G8_UNORM: return "VK_FORMAT_R8G8_UNORM";
    case VK_FORMAT_R16_SFLOAT: return "VK_FORMAT_R16_SFLOAT";
    case VK_FORMAT_R16G16_SFLOAT: return "VK_FORMAT_R16G16_SFLOAT";
    case VK_FORMAT_R16G16B16A16_SFLOAT: return "VK_FORMAT_R16G16B16A16_SFLOAT";
    case VK_FORMAT_R16_UINT: return "VK_FORMAT_R16_UINT";
    case VK_FORMAT_R16_SINT: return "VK_FORMAT_R16_SINT";
    case VK_FORMAT_R32_SFLOAT: return "VK_FORMAT_R32_SFLOAT";
    case VK_FORMAT_R32G32_SFLOAT: return "VK_FORMAT_R32G32_SFLOAT";
    case VK_FORMAT_R32G32B32A32_SFLOAT: return "VK_FORMAT_R32G32B32A32_SFLOAT";
    case VK_FORMAT_R32_UINT: return "VK_FORMAT_R32_UINT";
    case VK_FORMAT_R32_SINT: return "VK_FORMAT_R32_SINT";
    default: return "VK_FORMAT_UNDEFINED";
  }
}

VkImageUsageFlags UsageFlags(uint32_t usageMask, VkImageAspectFlags aspect) {
  VkImageUsageFlags flags = 0;
  if (usageMask & kUsageCopySrc) flags |= VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
  if (usageMask & kUsageCopyDst) flags |= VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  if (usageMask & kUsageTextureBinding) flags |= VK_IMAGE_USAGE_SAMPLED_BIT;
  if (usageMask & kUsageRenderAttachment) {
    flags |= (aspect & VK_IMAGE_ASPECT_DEPTH_BIT) ? VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT
                                                  : VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
  }
  if (usageMask & kUsageStorageBinding) flags |= VK_IMAGE_USAGE_STORAGE_BIT;
  return flags;
}

std::string UsageNames(uint32_t usageMask) {
  static const char* names[] = {"copy-src", "copy-dst", "texture-binding", "render-attachment", "storage-binding"};
  std::string out;
  for (uint32_t bit = 0; bit < 5; ++bit) {
    if (usageMask & (1u << bit)) out += std::string(out.empty() ? "" : ", ") + names[bit];
  }
  return out;
}

Result<ResolvedFormat> ResolveExternalFormat(const InstanceCore& instance, const PhysicalDeviceInfo& physical,
                                             uint32_t formatIndex, uint32_t usageMask, uint32_t width, uint32_t height) {
  if (formatIndex >= kFormatCount) return MakeError("InvalidDescriptor", "format index out of range");
  const FormatEntry& entry = kFormats[formatIndex];
  ResolvedFormat resolved;
  resolved.aspect = entry.aspect;
  resolved.usage = UsageFlags(usageMask, entry.aspect);
  resolved.texelBytes = entry.texelBytes;
  Query query = QueryImage(instance, physical, entry.preferred, resolved.usage);
  resolved.format = entry.preferred;
  if (!query.ok && entry.fallback != VK_FORMAT_UNDEFINED) {
    Query fallback = QueryImage(instance, physical, entry.fallback, resolved.usage);
    if (fallback.ok) {
      query = fallback;
      resolved.format = entry.fallback;
    } else {
      query.reason += std::string(" (and for the fallback ") + FormatName(entry.fallback) + ": " + fallback.reason + ")";
    }
  }
  std::string subject = std::string(entry.name) + " with usage [" + UsageNames(usageMask) + "]";
  if (!query.ok) {
    return MakeError("FormatNotSupported", subject + " is not supported by " + physical.label() + ": " + query.reason);
  }
  if (width > query.maxExtent.width || height > query.maxExtent.height) {
    return MakeError("FormatNotSupported", subject + " at " + std::to_string(width) + "x" + std::to_string(height) +
                                               " exceeds the device's maximum of " + std::to_string(query.maxExtent.width) +
                                               "x" + std::to_string(query.maxExtent.height));
  }
  resolved.dedicatedOnly = query.dedicatedOnly;
  return resolved;
}

}  // namespace geyser::vk
#endif
