// CommandContext: the device's one command pool + command buffer + fence + host-visible staging
// buffer, used by every one-shot submission (texture uploads/readbacks today, compute dispatches
// later). Callers hold Lock() across Staging() and Run(); Run() submits on the device queue and
// waits on the fence, so nothing recorded here is still in flight when Run() returns Ok.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <functional>
#include <memory>
#include <mutex>

#include "vulkan/device.h"

namespace geyser::vk {

class CommandContext {
 public:
  static Result<std::unique_ptr<CommandContext>> Create(DeviceCore& device);
  ~CommandContext();
  CommandContext(const CommandContext&) = delete;
  CommandContext& operator=(const CommandContext&) = delete;

  std::unique_lock<std::mutex> Lock() { return std::unique_lock<std::mutex>(mutex_); }

  // A mapped, coherent staging buffer of at least `bytes`, reused across calls and grown when
  // needed. Valid until the next Staging() call. Caller holds Lock().
  Result<uint8_t*> Staging(VkDeviceSize bytes, VkBuffer* buffer);

  // Records with `record`, submits, and waits up to `timeoutNs` for completion. On timeout the
  // submission stays pending (a later Run waits for it first) and the error code is Timeout.
  // Caller holds Lock().
  Status Run(const std::function<void(VkCommandBuffer)>& record, const std::string& what, uint64_t timeoutNs);

  // Waits for a pending (timed-out) submission, so its resources may be freed.
  Status Drain(uint64_t timeoutNs);

 private:
  explicit CommandContext(DeviceCore& device) : device_(device) {}
  void FreeStaging();

  DeviceCore& device_;
  std::mutex mutex_;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  VkCommandBuffer commands_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
  bool pending_ = false;
  VkBuffer stagingBuffer_ = VK_NULL_HANDLE;
  VkDeviceMemory stagingMemory_ = VK_NULL_HANDLE;
  uint8_t* stagingMapped_ = nullptr;
  VkDeviceSize stagingCapacity_ = 0;
};

// Index of a memory type allowed by `typeBits` with all of `flags`, if any.
std::optional<uint32_t> FindMemoryType(const VkPhysicalDeviceMemoryProperties& memory, uint32_t typeBits,
                                       VkMemoryPropertyFlags flags);

}  // namespace geyser::vk

#endif
