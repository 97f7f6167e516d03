// Semaphore: an exportable VkSemaphore (binary or timeline), created here or imported from an fd.
// Host-side signal/wait for timelines (vkSignalSemaphore / vkWaitSemaphores); binary semaphores
// are signaled and waited through empty queue submissions. Wait() blocks, so the binding runs it
// on a worker thread, in slices so a release can cancel it.
//
// Fd ownership: Import() consumes `fd` only on success; on failure the caller still owns it.
// ExportFd() returns a new fd the caller owns.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include <atomic>
#include <memory>

#include "vulkan/device.h"

namespace geyser::vk {

enum class SyncHandleType { kOpaqueFd = 0, kSyncFd = 1 };
const char* SyncHandleTypeName(SyncHandleType type);

class Semaphore {
 public:
  // `exportable` false makes a process-local semaphore (any device with timelines, lavapipe too),
  // for ordering work on this device's queue; ExportFd() then fails.
  static Result<std::shared_ptr<Semaphore>> Create(std::shared_ptr<DeviceCore> device, bool timeline, uint64_t initialValue,
                                                   SyncHandleType type, bool exportable);
  static Result<std::shared_ptr<Semaphore>> Import(std::shared_ptr<DeviceCore> device, int fd, bool timeline,
                                                   SyncHandleType type);
  // Why the device cannot export this kind of semaphore ("" when it can).
  static std::string Unsupported(const DeviceCore& device, bool timeline, SyncHandleType type);
  ~Semaphore();
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  Result<int> ExportFd() const;
  Status Signal(uint64_t value);
  Result<uint64_t> Value() const;
  // Until the counter reaches `value` (timeline) or the signal arrives (binary); Timeout after
  // `timeoutNs`; Released when `cancelled` turns true.
  Status Wait(uint64_t value, uint64_t timeoutNs, const std::atomic<bool>& cancelled);

  VkSemaphore handle() const { return semaphore_; }
  bool timeline() const { return timeline_; }
  SyncHandleType type() const { return type_; }
  DeviceCore& device() const { return *device_; }

 private:
  Semaphore(std::shared_ptr<DeviceCore> device, bool timeline, SyncHandleType type, bool exportable)
      : device_(std::move(device)), timeline_(timeline), type_(type), exportable_(exportable) {}
  Status CreateHandle(uint64_t initialValue, bool exportable);

  std::shared_ptr<DeviceCore> device_;
  bool timeline_;
  SyncHandleType type_;
  bool exportable_;
  VkSemaphore semaphore_ = VK_NULL_HANDLE;
};

// Waits in slices of this length so cancellation and env teardown are noticed promptly.
constexpr uint64_t kWaitSliceNs = 50ull * 1000 * 1000;

}  // namespace geyser::vk

#endif
