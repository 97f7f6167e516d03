// POSIX half of fd_ops.h (not built on Windows: see fd_ops_win32.cc).
#ifdef GEYSER_WITH_VULKAN
#include "vulkan/fd_ops.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace geyser::vk {

namespace {

Error NotOpen(int fd) {
  return MakeError("InvalidTextureHandle", "handle.rawHandle (fd " + std::to_string(fd) + ") is not an open file descriptor", "EBADF");
}

}  // namespace

Status CheckOpenFd(int fd) {
  if (fd < 0 || ::fcntl(fd, F_GETFD) == -1) return NotOpen(fd);
  return Ok{};
}

Status CheckImportableMemoryFd(int fd) {
  struct stat info {};
  if (fd < 0 || ::fcntl(fd, F_GETFD) == -1 || ::fstat(fd, &info) != 0) return NotOpen(fd);
  const char* kind = S_ISFIFO(info.st_mode) ? "a pipe" : S_ISSOCK(info.st_mode) ? "a socket" : S_ISDIR(info.st_mode) ? "a directory" : nullptr;
  if (kind != nullptr) {
    return MakeError("InvalidTextureHandle",
                     "handle.rawHandle (fd " + std::to_string(fd) + ") is " + kind + ", not exported Vulkan memory");
  }
  return Ok{};
}

void SetCloseOnExec(int fd) {
  int flags = ::fcntl(fd, F_GETFD);
  if (flags != -1) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

void CloseFd(int fd) { ::close(fd); }

}  // namespace geyser::vk
#endif
