// DeviceCore: one VkDevice, its queue and function table, shared (shared_ptr) by every image,
// semaphore and fence made on it, so it outlives them all. Submissions from any thread go through
// Submit(), which holds the queue mutex (vkQueueSubmit needs external synchronization).
//
// Compute pipelines (GLSL -> SPIR-V filters) live in ComputeContext (compute_context.h, pipelines
// in compute_pipeline.h), owned here next to `commands_` and recording into CommandContext::Run
// like the transfers in transfer.cc do, on this same queue.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "vulkan/fd_signature.h"
#include "vulkan/physical_device.h"

namespace geyser::vk {

class CommandContext;
class ComputeContext;

// What was enabled on the device (for a borrowed device: what its function table exposes).
struct EnabledFeatures {
  bool memoryFd = false;
  bool semaphoreFd = false;
  bool fenceFd = false;
  bool timeline = false;
};

class DeviceCore {
 public:
  // Creates a device on `physical` with one queue and every external-sharing extension it has.
  static Result<std::shared_ptr<DeviceCore>> Create(std::shared_ptr<InstanceCore> instance, PhysicalDeviceInfo physical);
  // Wraps an application's device without taking ownership (never destroyed here).
  static Result<std::shared_ptr<DeviceCore>> Borrow(std::shared_ptr<InstanceCore> instance, PhysicalDeviceInfo physical,
                                                    VkDevice device, uint32_t queueFamily, uint32_t queueIndex);
  ~DeviceCore();
  DeviceCore(const DeviceCore&) = delete;
  DeviceCore& operator=(const DeviceCore&) = delete;

  VkDevice handle() const { return device_; }
  const DeviceFns& fns() const { return fns_; }
  const InstanceCore& instance() const { return *instance_; }
  const PhysicalDeviceInfo& physical() const { return physical_; }
  const EnabledFeatures& enabled() const { return enabled_; }
  uint32_t queueFamily() const { return queueFamily_; }
  bool owned() const { return owned_; }
  CommandContext& commands() { return *commands_; }
  // The compute pipelines and descriptor pool (compute_context.h), created on first use.
  Result<ComputeContext*> Compute();

  // vkQueueSubmit under the queue mutex.
  Status Submit(uint32_t count, const VkSubmitInfo* submits, VkFence fence, const char* what);
  // vkQueueWaitIdle under the queue mutex (before freeing what a submission may still use).
  Status WaitQueueIdle();

  // What this driver's opaque fds look like (learned once from a 4 KiB exported probe
  // allocation); null when the probe could not run, and then no pre-driver check is made.
  const FdSignature* OpaqueFdSignature();
  // "" when `fd` may go to the driver as an opaque fd, else why it must not (see fd_signature.h).
  std::string CheckOpaqueFd(int fd);

  // Live texture memory allocations on this device (leak checks in tests).
  void CountAllocation(int delta) { liveAllocations_ += delta; }
  int64_t liveAllocations() const { return liveAllocations_.load(); }

 private:
  DeviceCore(std::shared_ptr<InstanceCore> instance, PhysicalDeviceInfo physical, bool owned);
  Status Finish(uint32_t queueIndex);

  std::shared_ptr<InstanceCore> instance_;
  PhysicalDeviceInfo physical_;
  bool owned_;
  VkDevice device_ = VK_NULL_HANDLE;
  DeviceFns fns_;
  EnabledFeatures enabled_;
  uint32_t queueFamily_ = 0;
  VkQueue queue_ = VK_NULL_HANDLE;
  std::mutex queueMutex_;
  std::unique_ptr<CommandContext> commands_;
  std::mutex computeMutex_;
  std::unique_ptr<ComputeContext> compute_;
  std::atomic<int64_t> liveAllocations_{0};
  std::mutex signatureMutex_;
  bool signatureProbed_ = false;
  std::optional<FdSignature> opaqueSignature_;
};

}  // namespace geyser::vk

#endif
