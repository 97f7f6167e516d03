// VkResult -> Error: every failed Vulkan call becomes a `VulkanApiError` whose message says what
// was being done and whose `detail` is the VkResult name (surfaced as GeyserError.detail in JS).
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <vulkan/vulkan.h>

#include <string>

#include "common/result.h"

namespace geyser::vk {

const char* ResultName(VkResult result);

// "vkAllocateMemory (import of fd 7) failed: VK_ERROR_INVALID_EXTERNAL_HANDLE".
Error ApiError(const std::string& what, VkResult result, const std::string& code = "VulkanApiError");

// Status from a VkResult: Ok for VK_SUCCESS, else ApiError(what, result).
inline Status Check(VkResult result, const std::string& what) {
  if (result == VK_SUCCESS) return Ok{};
  return ApiError(what, result);
}

}  // namespace geyser::vk

#endif
