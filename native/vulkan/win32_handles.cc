// See win32_handles.h: Windows only, not compiled on Linux.
#if defined(_WIN32) && defined(GEYSER_WITH_VULKAN)
#include "vulkan/win32_handles.h"

#include "vulkan/vk_error.h"

namespace geyser::vk {

Result<Win32Fns> LoadWin32Fns(const DeviceCore& device) {
  Win32Fns fns;
  auto gdpa = device.instance().fns().GetDeviceProcAddr;
  VkDevice handle = device.handle();
  fns.GetMemoryWin32HandleKHR = reinterpret_cast<PFN_vkGetMemoryWin32HandleKHR>(gdpa(handle, "vkGetMemoryWin32HandleKHR"));
  fns.GetSemaphoreWin32HandleKHR = reinterpret_cast<PFN_vkGetSemaphoreWin32HandleKHR>(gdpa(handle, "vkGetSemaphoreWin32HandleKHR"));
  fns.ImportSemaphoreWin32HandleKHR =
      reinterpret_cast<PFN_vkImportSemaphoreWin32HandleKHR>(gdpa(handle, "vkImportSemaphoreWin32HandleKHR"));
  fns.GetFenceWin32HandleKHR = reinterpret_cast<PFN_vkGetFenceWin32HandleKHR>(gdpa(handle, "vkGetFenceWin32HandleKHR"));
  fns.ImportFenceWin32HandleKHR = reinterpret_cast<PFN_vkImportFenceWin32HandleKHR>(gdpa(handle, "vkImportFenceWin32HandleKHR"));
  if (fns.GetMemoryWin32HandleKHR == nullptr) {
    return MakeError("VulkanInitializationError", device.physical().label() + ": no " VK_KHR_EXTERNAL_MEMORY_WIN32_EXTENSION_NAME);
  }
  return fns;
}

VkExportMemoryWin32HandleInfoKHR ExportMemoryWin32Info() {
  VkExportMemoryWin32HandleInfoKHR info{VK_STRUCTURE_TYPE_EXPORT_MEMORY_WIN32_HANDLE_INFO_KHR};
  info.pAttributes = nullptr;  // default security: not inheritable; passed by DuplicateHandle
  info.dwAccess = GENERIC_ALL;
  info.name = nullptr;
  return info;
}

Result<HANDLE> ExportMemoryWin32(const DeviceCore& device, const Win32Fns& fns, VkDeviceMemory memory) {
  VkMemoryGetWin32HandleInfoKHR info{VK_STRUCTURE_TYPE_MEMORY_GET_WIN32_HANDLE_INFO_KHR};
  info.memory = memory;
  info.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_WIN32_BIT;
  HANDLE handle = nullptr;
  Status status = Check(fns.GetMemoryWin32HandleKHR(device.handle(), &info, &handle), "vkGetMemoryWin32HandleKHR");
  if (!status) return status.error();
  return handle;
}

Result<VkDeviceMemory> ImportMemoryWin32(const DeviceCore& device, HANDLE handle, VkDeviceSize size, uint32_t memoryTypeIndex,
                                         VkImage image) {
  VkMemoryDedicatedAllocateInfo dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO};
  dedicated.image = image;
  VkImportMemoryWin32HandleInfoKHR import{VK_STRUCTURE_TYPE_IMPORT_MEMORY_WIN32_HANDLE_INFO_KHR};
  import.pNext = &dedicated;
  import.handleType = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_WIN32_BIT;
  import.handle = handle;
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.pNext = &import;
  alloc.allocationSize = size;
  alloc.memoryTypeIndex = memoryTypeIndex;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VkResult result = device.fns().AllocateMemory(device.handle(), &alloc, nullptr, &memory);
  if (result != VK_SUCCESS) return ApiError("vkAllocateMemory import of a win32 handle", result, "InvalidTextureHandle");
  return memory;
}

Result<HANDLE> ExportSemaphoreWin32(const DeviceCore& device, const Win32Fns& fns, VkSemaphore semaphore) {
  if (fns.GetSemaphoreWin32HandleKHR == nullptr) {
    return MakeError("OperationNotSupported", device.physical().label() + ": no " VK_KHR_EXTERNAL_SEMAPHORE_WIN32_EXTENSION_NAME);
  }
  VkSemaphoreGetWin32HandleInfoKHR info{VK_STRUCTURE_TYPE_SEMAPHORE_GET_WIN32_HANDLE_INFO_KHR};
  info.semaphore = semaphore;
  info.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_WIN32_BIT;
  HANDLE handle = nullptr;
  Status status = Check(fns.GetSemaphoreWin32HandleKHR(device.handle(), &info, &handle), "vkGetSemaphoreWin32HandleKHR");
  if (!status) return status.error();
  return handle;
}

Status ImportSemaphoreWin32(const DeviceCore& device, const Win32Fns& fns, VkSemaphore semaphore, HANDLE handle) {
  if (fns.ImportSemaphoreWin32HandleKHR == nullptr) {
    return MakeError("OperationNotSupported", device.physical().label() + ": no " VK_KHR_EXTERNAL_SEMAPHORE_WIN32_EXTENSION_NAME);
  }
  VkImportSemaphoreWin32HandleInfoKHR info{VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_WIN32_HANDLE_INFO_KHR};
  info.semaphore = semaphore;
  info.handleType = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_WIN32_BIT;
  info.handle = handle;
  VkResult result = fns.ImportSemaphoreWin32HandleKHR(device.handle(), &info);
  if (result != VK_SUCCESS) return ApiError("vkImportSemaphoreWin32HandleKHR", result, "InvalidTextureHandle");
  return Ok{};
}

Result<HANDLE> ExportFenceWin32(const DeviceCore& device, const Win32Fns& fns, VkFence fence) {
  if (fns.GetFenceWin32HandleKHR == nullptr) {
    return MakeError("OperationNotSupported", device.physical().label() + ": no " VK_KHR_EXTERNAL_FENCE_WIN32_EXTENSION_NAME);
  }
  VkFenceGetWin32HandleInfoKHR info{VK_STRUCTURE_TYPE_FENCE_GET_WIN32_HANDLE_INFO_KHR};
  info.fence = fence;
  info.handleType = VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_WIN32_BIT;
  HANDLE handle = nullptr;
  Status status = Check(fns.GetFenceWin32HandleKHR(device.handle(), &info, &handle), "vkGetFenceWin32HandleKHR");
  if (!status) return status.error();
  return handle;
}

Status ImportFenceWin32(const DeviceCore& device, const Win32Fns& fns, VkFence fence, HANDLE handle) {
  if (fns.ImportFenceWin32HandleKHR == nullptr) {
    return MakeError("OperationNotSupported", device.physical().label() + ": no " VK_KHR_EXTERNAL_FENCE_WIN32_EXTENSION_NAME);
  }
  VkImportFenceWin32HandleInfoKHR info{VK_STRUCTURE_TYPE_IMPORT_FENCE_WIN32_HANDLE_INFO_KHR};
  info.fence = fence;
  info.handleType = VK_EXTERNAL_FENCE_HANDLE_TYPE_OPAQUE_WIN32_BIT;
  info.handle = handle;
  VkResult result = fns.ImportFenceWin32HandleKHR(device.handle(), &info);
  if (result != VK_SUCCESS) return ApiError("vkImportFenceWin32HandleKHR", result, "InvalidTextureHandle");
  return Ok{};
}

}  // namespace geyser::vk
#endif  // _WIN32 && GEYSER_WITH_VULKAN
