#ifdef GEYSER_WITH_VULKAN
#include "vulkan/fd_import.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "vulkan/vk_error.h"

namespace geyser::vk {
namespace {

bool SameFile(int a, int b) {
  struct stat sa {}, sb {};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace

Status ImportDuplicate(int fd, const std::string& what, const std::function<VkResult(int duplicate)>& import) {
  int duplicate = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (duplicate < 0) {
    int err = errno;
    return MakeError(err == EBADF ? "InvalidTextureHandle" : "Other",
                     "duplicating fd " + std::to_string(fd) + " for import failed: " + ErrnoText(err));
  }
  VkResult result = import(duplicate);
  if (result == VK_SUCCESS) {
    ::close(fd);  // the caller's fd is consumed; Vulkan owns the duplicate
    return Ok{};
  }
  // Close the duplicate only if it is still ours: still open and still the caller's file (if the
  // driver closed it, its number may already name something else).
  if (::fcntl(duplicate, F_GETFD) != -1 && SameFile(duplicate, fd)) ::close(duplicate);
  return ApiError(what + " of fd " + std::to_string(fd), result, "InvalidTextureHandle");
}

}  // namespace geyser::vk
#endif
