// Fence: an exportable VkFence, created here or imported from an fd. signal() is an empty queue
// submission that signals it (a host cannot signal a fence directly); wait() is vkWaitForFences in
// slices (run on a worker thread by the binding).
//
// Fd ownership: Import() consumes `fd` only on success; on failure the caller still owns it.
// ExportFd() returns a new fd the caller owns.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <atomic>
#include <memory>

#include "vulkan/semaphore.h"

namespace geyser::vk {

class Fence {
 public:
  static Result<std::shared_ptr<Fence>> Create(std::shared_ptr<DeviceCore> device, bool signaled, SyncHandleType type);
  static Result<std::shared_ptr<Fence>> Import(std::shared_ptr<DeviceCore> device, int fd, SyncHandleType type);
  static std::string Unsupported(const DeviceCore& device, SyncHandleType type);
  ~Fence();
  Fence(const Fence&) = delete;
  Fence& operator=(const Fence&) = delete;

  Result<int> ExportFd() const;
  Result<bool> Signaled() const;
  Status Reset();
  Status Signal();
  Status Wait(uint64_t timeoutNs, const std::atomic<bool>& cancelled);

 private:
  Fence(std::shared_ptr<DeviceCore> device, SyncHandleType type) : device_(std::move(device)), type_(type) {}
  Status CreateHandle(bool signaled, bool exportable);

  std::shared_ptr<DeviceCore> device_;
  SyncHandleType type_;
  VkFence fence_ = VK_NULL_HANDLE;
};

}  // namespace geyser::vk

#endif
