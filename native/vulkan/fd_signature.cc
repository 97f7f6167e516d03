#ifdef GEYSER_WITH_VULKAN
#include "vulkan/fd_signature.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace geyser::vk {
namespace {

std::string Link(int fd) {
  char buffer[512];
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  ssize_t length = ::readlink(path.c_str(), buffer, sizeof buffer - 1);
  return length < 0 ? std::string() : std::string(buffer, static_cast<size_t>(length));
}

std::string TypeName(mode_t type) {
  switch (type) {
    case S_IFREG: return "a regular file";
    case S_IFCHR: return "a character device";
    case S_IFIFO: return "a pipe";
    case S_IFSOCK: return "a socket";
    case S_IFDIR: return "a directory";
    case S_IFBLK: return "a block device";
    default: return "an anonymous file";
  }
}

bool IsMemfd(const std::string& link) { return link.rfind("/memfd:", 0) == 0; }

// The part of a link that names the kind of object: "anon_inode:[x]" -> "anon_inode:".
std::string Kind(const std::string& link) {
  size_t colon = link.find(':');
  return colon == std::string::npos ? link : link.substr(0, colon + 1);
}

}  // namespace

Result<FdSignature> ReadFdSignature(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return MakeError("InvalidTextureHandle", "fd " + std::to_string(fd) + " is not open: " + ErrnoText(errno));
  }
  return FdSignature{static_cast<mode_t>(st.st_mode & S_IFMT), st.st_rdev, Link(fd)};
}

std::string SignatureMismatch(const FdSignature& expected, int fd) {
  Result<FdSignature> actual = ReadFdSignature(fd);
  if (!actual) return actual.error().message;
  const FdSignature& got = actual.value();
  bool same = got.type == expected.type;
  if (same && expected.type == S_IFCHR) same = got.rdev == expected.rdev;
  else if (same && expected.type == S_IFREG) same = IsMemfd(expected.link) ? IsMemfd(got.link) : true;
  else if (same) same = Kind(got.link) == Kind(expected.link);
  if (same) return "";
  std::string theirs = IsMemfd(expected.link) ? "memfds" : Kind(expected.link);
  return "fd " + std::to_string(fd) + " is " + TypeName(got.type) + " (" + got.link +
         "), not an opaque fd of this Vulkan driver (its opaque fds are " + theirs + ")";
}

}  // namespace geyser::vk
#endif
