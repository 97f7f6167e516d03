// Hands an fd to a Vulkan import call while keeping the addon's ownership rule (consumed on
// success, still the caller's on failure) on every driver. The spec says a failed import leaves
// the fd with the application, but Mesa's lavapipe closes it when vkAllocateMemory fails. So the
// driver gets a duplicate: on success the caller's fd is closed (the duplicate now belongs to
// Vulkan); on failure the duplicate is closed unless the driver already closed it.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <vulkan/vulkan.h>

#include <functional>
#include <string>

#include "common/result.h"

namespace geyser::vk {

// `import` receives the duplicate and returns the driver's VkResult. On failure the error is an
// InvalidTextureHandle naming `what` and the VkResult; `fd` is untouched. `finish` (optional) runs
// after a successful import and before `fd` is closed (e.g. binding the memory); if it fails, its
// error is returned and `fd` is untouched too (the duplicate already belongs to Vulkan then).
Status ImportDuplicate(int fd, const std::string& what, const std::function<VkResult(int duplicate)>& import,
                       const std::function<Status()>& finish = nullptr);

}  // namespace geyser::vk

#endif
