// Windows path: memory, semaphores and fences exported/imported as NT HANDLEs
// (VK_KHR_external_memory_win32, VK_KHR_external_semaphore_win32, VK_KHR_external_fence_win32).
// Compiled only on Windows; scripts/check-windows-build.sh syntax-checks it with MinGW-w64, but it
// is not linked, run or tested anywhere yet, and nothing calls it: the fd paths of shared_image.cc,
// semaphore.cc and fence.cc fail on Windows naming the platform (fd_ops.h, fd_ops_win32.cc) until
// the TS handle descriptors can carry a HANDLE.
//
// Ownership (differs from fds, per the spec): importing an NT handle does NOT transfer it; the
// caller closes it with CloseHandle after the import, success or not. An exported handle belongs
// to the caller.
#pragma once
#if defined(_WIN32) && defined(GEYSER_WITH_VULKAN)

#include "common/windows_headers.h"
#include <vulkan/vulkan.h>
#include <vulkan/vulkan_win32.h>

#include "vulkan/device.h"

namespace geyser::vk {

struct Win32Fns {
  PFN_vkGetMemoryWin32HandleKHR GetMemoryWin32HandleKHR = nullptr;
  PFN_vkGetSemaphoreWin32HandleKHR GetSemaphoreWin32HandleKHR = nullptr;
  PFN_vkImportSemaphoreWin32HandleKHR ImportSemaphoreWin32HandleKHR = nullptr;
  PFN_vkGetFenceWin32HandleKHR GetFenceWin32HandleKHR = nullptr;
  PFN_vkImportFenceWin32HandleKHR ImportFenceWin32HandleKHR = nullptr;
};

// The device-level entry points; memory export is required, semaphore/fence ones are optional.
Result<Win32Fns> LoadWin32Fns(const DeviceCore& device);

// Chained into VkMemoryAllocateInfo next to VkExportMemoryAllocateInfo (handle type OPAQUE_WIN32):
// the handle gets full access for the importing process.
VkExportMemoryWin32HandleInfoKHR ExportMemoryWin32Info();

Result<HANDLE> ExportMemoryWin32(const DeviceCore& device, const Win32Fns& fns, VkDeviceMemory memory);
// Allocates `size` bytes of type `memoryTypeIndex` backed by `handle`, dedicated to `image`.
Result<VkDeviceMemory> ImportMemoryWin32(const DeviceCore& device, HANDLE handle, VkDeviceSize size, uint32_t memoryTypeIndex,
                                         VkImage image);

Result<HANDLE> ExportSemaphoreWin32(const DeviceCore& device, const Win32Fns& fns, VkSemaphore semaphore);
Status ImportSemaphoreWin32(const DeviceCore& device, const Win32Fns& fns, VkSemaphore semaphore, HANDLE handle);

Result<HANDLE> ExportFenceWin32(const DeviceCore& device, const Win32Fns& fns, VkFence fence);
Status ImportFenceWin32(const DeviceCore& device, const Win32Fns& fns, VkFence fence, HANDLE handle);

}  // namespace geyser::vk

#endif  // _WIN32 && GEYSER_WITH_VULKAN
