#ifdef GEYSER_WITH_VULKAN
#include "vulkan/fence.h"

#include <algorithm>

#include "vulkan/fd_import.h"
#include "vulkan/fd_ops.h"
#include "vulkan/vk_error.h"

namespace geyser::vk {
namespace {

VkExternalFenceHandleTypeFlagBits VkType(SyncHandleType type) {
  return type == SyncHandleType::kSyncFd ? VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT : VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_FD_BIT;
}

}  // namespace

std::string Fence::Unsupported(const DeviceCore& device, SyncHandleType type) {
  const PhysicalDeviceInfo& physical = device.physical();
  if (!device.enabled().fenceFd) {
    return physical.label() + ": no " VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME " (exportable fences need it)";
  }
  bool ok = type == SyncHandleType::kSyncFd ? physical.fence.syncFd : physical.fence.opaqueFd;
  if (!ok) return physical.label() + ": fences cannot be exported as " + SyncHandleTypeName(type);
  return "";
}

Status Fence::CreateHandle(bool signaled, bool exportable) {
  VkExportFenceCreateInfo exportInfo{VK_STRUCTURE_TYPE_EXPORT_FENCE_CREATE_INFO};
  exportInfo.handleTypes = VkType(type_);
  VkFenceCreateInfo info{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  info.pNext = exportable ? &exportInfo : nullptr;
  info.flags = signaled ? VK_FENCE_CREATE_SIGNALED_BIT : 0;
  Status status = Check(device_->fns().CreateFence(device_->handle(), &info, nullptr, &fence_), "vkCreateFence");
  if (!status) fence_ = VK_NULL_HANDLE;
  return status;
}

Result<std::shared_ptr<Fence>> Fence::Create(std::shared_ptr<DeviceCore> device, bool signaled, SyncHandleType type) {
  std::string why = Unsupported(*device, type);
  if (!why.empty()) return MakeError("OperationNotSupported", why);
  std::shared_ptr<Fence> fence(new Fence(std::move(device), type));
  Status status = fence->CreateHandle(signaled, true);
  if (!status) return status.error();
  return fence;
}

Result<std::shared_ptr<Fence>> Fence::Import(std::shared_ptr<DeviceCore> device, int fd, SyncHandleType type) {
  std::string why = Unsupported(*device, type);
  if (!why.empty()) return MakeError("OperationNotSupported", why);
  Status open = CheckOpenFd(fd);
  if (!open) return open.error();
  if (type == SyncHandleType::kOpaqueFd) {
    std::string foreign = device->CheckOpaqueFd(fd);
    if (!foreign.empty()) return MakeError("InvalidTextureHandle", "fence handle: " + foreign);
  }
  std::shared_ptr<Fence> fence(new Fence(std::move(device), type));
  Status status = fence->CreateHandle(false, false);
  if (!status) return status.error();
  VkImportFenceFdInfoKHR info{VK_STRUCTURE_TYPE_IMPORT_FENCE_FD_INFO_KHR};
  info.fence = fence->fence_;
  info.flags = type == SyncHandleType::kSyncFd ? VK_FENCE_IMPORT_TEMPORARY_BIT : 0;  // sync fds: temporary only
  info.handleType = VkType(type);
  status = ImportDuplicate(fd, "vkImportFenceFdKHR import", [&](int duplicate) {
    info.fd = duplicate;
    return fence->device_->fns().ImportFenceFdKHR(fence->device_->handle(), &info);
  });
  if (!status) return status.error();
  return fence;
}

Fence::~Fence() {
  if (fence_ == VK_NULL_HANDLE) return;
  device_->WaitQueueIdle();  // a queued signal() may still reference it
  device_->fns().DestroyFence(device_->handle(), fence_, nullptr);
}

Result<int> Fence::ExportFd() const {
  VkFenceGetFdInfoKHR info{VK_STRUCTURE_TYPE_FENCE_GET_FD_INFO_KHR};
  info.fence = fence_;
  info.handleType = VkType(type_);
  int fd = -1;
  Status status = Check(device_->fns().GetFenceFdKHR(device_->handle(), &info, &fd), "vkGetFenceFdKHR");
  if (!status) return status.error();
  SetCloseOnExec(fd);
  return fd;
}

Result<bool> Fence::Signaled() const {
  VkResult result = device_->fns().GetFenceStatus(device_->handle(), fence_);
  if (result == VK_SUCCESS) return true;
  if (result == VK_NOT_READY) return false;
  return ApiError("vkGetFenceStatus", result);
}

Status Fence::Reset() { return Check(device_->fns().ResetFences(device_->handle(), 1, &fence_), "vkResetFences"); }

Status Fence::Signal() { return device_->Submit(0, nullptr, fence_, "fence signal"); }

Status Fence::Wait(uint64_t timeoutNs, const std::atomic<bool>& cancelled) {
  uint64_t waited = 0;
  while (true) {
    uint64_t slice = std::min(kWaitSliceNs, timeoutNs - waited);
    VkResult result = device_->fns().WaitForFences(device_->handle(), 1, &fence_, VK_TRUE, slice);
    if (result == VK_SUCCESS) return Ok{};
    if (result != VK_TIMEOUT) return ApiError("vkWaitForFences", result);
    waited += slice;
    if (cancelled.load()) return MakeError("Released", "the fence was released while waiting");
    if (waited >= timeoutNs) {
      return MakeError("Timeout", "fence wait timed out after " + std::to_string(timeoutNs / 1000000) + " ms", "VK_TIMEOUT");
    }
  }
}

}  // namespace geyser::vk
#endif
