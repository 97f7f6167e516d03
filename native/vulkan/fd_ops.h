// The POSIX fd calls of the Vulkan backend's opaque-fd and sync-fd paths, kept out of the portable
// files (shared_image.cc, semaphore.cc, fence.cc, device.cc) so those compile on Windows too.
//
// fd_ops.cc implements them with fcntl/fstat (Linux, macOS). On Windows, memory and sync objects
// travel as NT HANDLEs (win32_handles.h) and the fd paths have no counterpart yet: fd_ops_win32.cc
// makes the checks fail naming the platform, and also stands in for fd_import.cc and
// fd_signature.cc, which list-sources.cjs leaves out there.
#pragma once
#ifdef GEYSER_WITH_VULKAN

#include "common/result.h"

namespace geyser::vk {

// Ok when `fd` is an open descriptor; else InvalidTextureHandle
// "handle.rawHandle (fd 12) is not an open file descriptor" (EBADF).
Status CheckOpenFd(int fd);

// CheckOpenFd, then refuses kinds that are never Vulkan memory (a pipe, a socket, a directory)
// before the driver sees them. Opaque fds are driver specific (a memfd on lavapipe, a device file
// on NVIDIA), so anything else goes to the driver, whose VkResult is reported.
Status CheckImportableMemoryFd(int fd);

// Keeps an fd the driver exported out of unrelated child processes (FD_CLOEXEC); spawn() still
// passes it when asked to. Best effort: a failure leaves the fd usable.
void SetCloseOnExec(int fd);

// Closes an fd this code owns (e.g. the probe fd of DeviceCore::OpaqueFdSignature).
void CloseFd(int fd);

}  // namespace geyser::vk

#endif
