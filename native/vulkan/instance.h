// InstanceCore: a VkInstance with its function table. Either created here (owned, destroyed with
// the last reference) or borrowed from the application (`fromExisting`; never destroyed here).
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <memory>

#include "vulkan/vk_loader.h"

namespace geyser::vk {

class InstanceCore {
 public:
  // Creates an instance asking for the highest of 1.2/1.1 the loader offers (1.2 brings timeline
  // semaphores into core); fails with VulkanInitializationError below 1.1.
  static Result<std::shared_ptr<InstanceCore>> Create();
  // Wraps an application's instance without taking ownership. `apiVersion` is what it was created with.
  static Result<std::shared_ptr<InstanceCore>> Borrow(VkInstance instance, uint32_t apiVersion);

  ~InstanceCore();
  InstanceCore(const InstanceCore&) = delete;
  InstanceCore& operator=(const InstanceCore&) = delete;

  VkInstance handle() const { return instance_; }
  const InstanceFns& fns() const { return fns_; }
  uint32_t apiVersion() const { return apiVersion_; }
  bool owned() const { return owned_; }

 private:
  InstanceCore(VkInstance instance, uint32_t apiVersion, bool owned)
      : instance_(instance), apiVersion_(apiVersion), owned_(owned) {}

  VkInstance instance_;
  InstanceFns fns_;
  uint32_t apiVersion_;
  bool owned_;
};

}  // namespace geyser::vk

#endif
