#ifdef GEYSER_WITH_VULKAN
#include "vulkan/fd_import.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/unique_fd.h"
#include "vulkan/vk_error.h"

namespace geyser::vk {
namespace {

bool SameFile(int a, int b) {
  struct stat sa {}, sb {};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

}  // namespace

Status ImportDuplicate(int fd, const std::string& what, const std::function<VkResult(int duplicate)>& import,
                       const std::function<Status()>& finish) {
  UniqueFd duplicate(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
  if (!duplicate.valid()) {
    int err = errno;
    return MakeError(err == EBADF ? "InvalidTextureHandle" : "Other",
                     "duplicating fd " + std::to_string(fd) + " for import failed: " + ErrnoText(err));
  }
  VkResult result = import(duplicate.get());
  if (result == VK_SUCCESS) {
    duplicate.release();  // Vulkan owns it now and closes it with its object
    if (finish) {
      Status finished = finish();
      if (!finished) return finished;  // `fd` stays the caller's
    }
    ::close(fd);  // the caller's fd is consumed
    return Ok{};
  }
  // Close the duplicate only if it is still ours: still open and still the caller's file (if the
  // driver closed it, its number may already name something else).
  if (::fcntl(duplicate.get(), F_GETFD) == -1 || !SameFile(duplicate.get(), fd)) duplicate.release();
  return ApiError(what + " of fd " + std::to_string(fd), result, "InvalidTextureHandle");
}

}  // namespace geyser::vk
#endif
