// Windows half of fd_ops.h, and the Windows stand-ins for fd_import.h and fd_signature.h (whose
// POSIX sources list-sources.cjs leaves out there). Vulkan drivers on Windows share memory and sync
// objects as NT HANDLEs (win32_handles.h), never as fds, and the handle descriptors the TS layer
// passes around carry fds only: every fd import fails here, naming the platform, before any driver
// call. Windows sharing through win32_handles is not wired up yet.
#if defined(_WIN32) && defined(GEYSER_WITH_VULKAN)
#include <string>

#include "vulkan/fd_import.h"
#include "vulkan/fd_ops.h"
#include "vulkan/fd_signature.h"

namespace geyser::vk {
namespace {

std::string NotOnWindows(int fd) {
  return "handle.rawHandle (fd " + std::to_string(fd) + "): importing an fd is not supported on Windows yet";
}

}  // namespace

Status CheckOpenFd(int fd) { return MakeError("OperationNotSupported", NotOnWindows(fd)); }

Status CheckImportableMemoryFd(int fd) { return MakeError("OperationNotSupported", NotOnWindows(fd)); }

// No Windows driver hands out an fd (the fd export extensions are absent), so there is none to mark.
void SetCloseOnExec(int) {}

// Likewise no fd is ever owned here.
void CloseFd(int) {}

Status ImportDuplicate(int fd, const std::string& what, const std::function<VkResult(int duplicate)>&,
                       const std::function<Status()>&) {
  return MakeError("OperationNotSupported", what + " of fd " + std::to_string(fd) + " is not supported on Windows yet");
}

Result<FdSignature> ReadFdSignature(int fd) { return MakeError("OperationNotSupported", NotOnWindows(fd)); }

std::string SignatureMismatch(const FdSignature&, int fd) { return NotOnWindows(fd); }

}  // namespace geyser::vk
#endif
