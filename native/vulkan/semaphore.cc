#ifdef GEYSER_WITH_VULKAN
#include "vulkan/semaphore.h"

#include <algorithm>

#include "vulkan/fd_import.h"
#include "vulkan/fd_ops.h"
#include "vulkan/vk_error.h"

namespace geyser::vk {
namespace {

VkExternalSemaphoreHandleTypeFlagBits VkType(SyncHandleType type) {
  return type == SyncHandleType::kSyncFd ? VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_SYNC_FD_BIT
                                         : VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;
}

}  // namespace

const char* SyncHandleTypeName(SyncHandleType type) { return type == SyncHandleType::kSyncFd ? "sync-fd" : "opaque-fd"; }

std::string Semaphore::Unsupported(const DeviceCore& device, bool timeline, SyncHandleType type) {
  const PhysicalDeviceInfo& physical = device.physical();
  const ExternalSyncSupport& support = timeline ? physical.timelineSemaphore : physical.binarySemaphore;
  std::string kind = timeline ? "timeline" : "binary";
  if (!device.enabled().semaphoreFd) {
    return physical.label() + ": no " VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME " (exportable semaphores need it)";
  }
  if (timeline && !device.enabled().timeline) return physical.label() + ": no timelineSemaphore feature";
  if (type == SyncHandleType::kSyncFd && timeline) return "sync-fd handles exist only for binary semaphores";
  bool ok = type == SyncHandleType::kSyncFd ? support.syncFd : support.opaqueFd;
  if (!ok) return physical.label() + ": " + kind + " semaphores cannot be exported as " + SyncHandleTypeName(type);
  return "";
}

Status Semaphore::CreateHandle(uint64_t initialValue, bool exportable) {
  VkSemaphoreTypeCreateInfo typeInfo{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
  typeInfo.semaphoreType = timeline_ ? VK_SEMAPHORE_TYPE_TIMELINE : VK_SEMAPHORE_TYPE_BINARY;
  typeInfo.initialValue = timeline_ ? initialValue : 0;
  VkExportSemaphoreCreateInfo exportInfo{VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO};
  exportInfo.handleTypes = VkType(type_);
  const void* chain = timeline_ ? static_cast<const void*>(&typeInfo) : nullptr;
  if (exportable) {
    exportInfo.pNext = chain;
    chain = &exportInfo;
  }
  VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
  info.pNext = chain;
  Status status = Check(device_->fns().CreateSemaphore(device_->handle(), &info, nullptr, &semaphore_), "vkCreateSemaphore");
  if (!status) semaphore_ = VK_NULL_HANDLE;
  return status;
}

Result<std::shared_ptr<Semaphore>> Semaphore::Create(std::shared_ptr<DeviceCore> device, bool timeline, uint64_t initialValue,
                                                     SyncHandleType type, bool exportable) {
  std::string why = exportable ? Unsupported(*device, timeline, type) : "";
  if (!exportable && timeline && !device->enabled().timeline) why = device->physical().label() + ": no timelineSemaphore feature";
  if (!why.empty()) return MakeError("OperationNotSupported", why);
  std::shared_ptr<Semaphore> semaphore(new Semaphore(std::move(device), timeline, type, exportable));
  Status status = semaphore->CreateHandle(initialValue, exportable);
  if (!status) return status.error();
  return semaphore;
}

Result<std::shared_ptr<Semaphore>> Semaphore::Import(std::shared_ptr<DeviceCore> device, int fd, bool timeline,
                                                     SyncHandleType type) {
  std::string why = Unsupported(*device, timeline, type);
  if (!why.empty()) return MakeError("OperationNotSupported", why);
  Status open = CheckOpenFd(fd);
  if (!open) return open.error();
  if (type == SyncHandleType::kOpaqueFd) {
    std::string foreign = device->CheckOpaqueFd(fd);
    if (!foreign.empty()) return MakeError("InvalidTextureHandle", "semaphore handle: " + foreign);
  }
  std::shared_ptr<Semaphore> semaphore(new Semaphore(std::move(device), timeline, type, true));
  Status status = semaphore->CreateHandle(0, false);
  if (!status) return status.error();
  VkImportSemaphoreFdInfoKHR info{VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_FD_INFO_KHR};
  info.semaphore = semaphore->semaphore_;
  // A sync fd carries one signal: the spec allows only temporary import of it.
  info.flags = type == SyncHandleType::kSyncFd ? VK_SEMAPHORE_IMPORT_TEMPORARY_BIT : 0;
  info.handleType = VkType(type);
  status = ImportDuplicate(fd, "vkImportSemaphoreFdKHR import", [&](int duplicate) {
    info.fd = duplicate;
    return semaphore->device_->fns().ImportSemaphoreFdKHR(semaphore->device_->handle(), &info);
  });
  if (!status) return status.error();
  return semaphore;
}

Semaphore::~Semaphore() {
  if (semaphore_ == VK_NULL_HANDLE) return;
  // A queued submitWait/submitSignal may still reference it.
  device_->WaitQueueIdle();
  device_->fns().DestroySemaphore(device_->handle(), semaphore_, nullptr);
}

Result<int> Semaphore::ExportFd() const {
  if (!exportable_) return MakeError("OperationNotSupported", "a local semaphore cannot be exported (create it with createExportableSemaphore)");
  VkSemaphoreGetFdInfoKHR info{VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR};
  info.semaphore = semaphore_;
  info.handleType = VkType(type_);
  int fd = -1;
  Status status = Check(device_->fns().GetSemaphoreFdKHR(device_->handle(), &info, &fd), "vkGetSemaphoreFdKHR");
  if (!status) return status.error();
  SetCloseOnExec(fd);
  return fd;
}

Status Semaphore::Signal(uint64_t value) {
  if (timeline_) {
    VkSemaphoreSignalInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
    info.semaphore = semaphore_;
    info.value = value;
    return Check(device_->fns().SignalSemaphore(device_->handle(), &info), "vkSignalSemaphore");
  }
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.signalSemaphoreCount = 1;
  submit.pSignalSemaphores = &semaphore_;
  return device_->Submit(1, &submit, VK_NULL_HANDLE, "binary semaphore signal");
}

Result<uint64_t> Semaphore::Value() const {
  if (!timeline_) return MakeError("OperationNotSupported", "a binary semaphore has no counter value");
  uint64_t value = 0;
  Status status = Check(device_->fns().GetSemaphoreCounterValue(device_->handle(), semaphore_, &value), "vkGetSemaphoreCounterValue");
  if (!status) return status.error();
  return value;
}

Status Semaphore::Wait(uint64_t value, uint64_t timeoutNs, const std::atomic<bool>& cancelled) {
  const DeviceFns& fns = device_->fns();
  VkFence fence = VK_NULL_HANDLE;
  if (!timeline_) {
    // A host cannot wait on a binary semaphore directly: a queue submission consumes the signal and
    // signals a fence that the host waits on.
    VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    Status status = Check(fns.CreateFence(device_->handle(), &fenceInfo, nullptr, &fence), "vkCreateFence (binary wait)");
    if (!status) return status;
    VkPipelineStageFlags stage = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
    VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.waitSemaphoreCount = 1;
    submit.pWaitSemaphores = &semaphore_;
    submit.pWaitDstStageMask = &stage;
    status = device_->Submit(1, &submit, fence, "binary semaphore wait");
    if (!status) {
      fns.DestroyFence(device_->handle(), fence, nullptr);
      return status;
    }
  }
  uint64_t waited = 0;
  Status outcome = Ok{};
  while (true) {
    uint64_t slice = std::min(kWaitSliceNs, timeoutNs - waited);
    VkResult result;
    if (timeline_) {
      VkSemaphoreWaitInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO};
      info.semaphoreCount = 1;
      info.pSemaphores = &semaphore_;
      info.pValues = &value;
      result = fns.WaitSemaphores(device_->handle(), &info, slice);
    } else {
      result = fns.WaitForFences(device_->handle(), 1, &fence, VK_TRUE, slice);
    }
    if (result == VK_SUCCESS) break;
    if (result != VK_TIMEOUT) {
      outcome = ApiError(timeline_ ? "vkWaitSemaphores" : "vkWaitForFences (binary wait)", result);
      break;
    }
    waited += slice;
    if (cancelled.load()) {
      outcome = MakeError("Released", "the semaphore was released while waiting");
      break;
    }
    if (waited >= timeoutNs) {
      outcome = MakeError("Timeout", "semaphore wait for value " + std::to_string(value) + " timed out after " +
                                         std::to_string(timeoutNs / 1000000) + " ms", "VK_TIMEOUT");
      break;
    }
  }
  if (fence != VK_NULL_HANDLE) {
    // After a timeout/cancel the wait submission is still pending and may never finish: leaking
    // one fence beats destroying it under the queue (or blocking this thread forever).
    if (outcome) fns.DestroyFence(device_->handle(), fence, nullptr);
  }
  return outcome;
}

}  // namespace geyser::vk
#endif
