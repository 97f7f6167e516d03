#include "host/memfd.h"

#include "common/memory_pins.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace geyser::host {
namespace {

constexpr unsigned kRequiredSeals = F_SEAL_SHRINK | F_SEAL_GROW;

std::string FdName(int fd) { return "fd " + std::to_string(fd); }

Error ErrnoError(const std::string& what, int err) {
  return MakeError("Other", what + ": " + ErrnoText(err), strerrorname_np(err) ? strerrorname_np(err) : "");
}

// What kind of file an fd is, for "fd 12 is a pipe, not a memfd".
std::string DescribeFileType(mode_t mode) {
  if (S_ISFIFO(mode)) return "a pipe";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISREG(mode)) return "a regular file";
  return "an unknown kind of file";
}

// The target of /proc/self/fd/N: "/memfd:geyser-texture (deleted)" for our memfds.
std::string FdTarget(int fd) {
  char buffer[PATH_MAX];
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t length = ::readlink(link.c_str(), buffer, sizeof buffer - 1);
  if (length < 0) return {};
  return std::string(buffer, static_cast<size_t>(length));
}

// The memfd name from a /proc link target, or empty if the target is not a memfd.
std::string MemfdName(const std::string& target) {
  static const std::string kPrefix = "/memfd:";
  static const std::string kDeleted = " (deleted)";
  if (target.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  std::string name = target.substr(kPrefix.size());
  if (name.size() >= kDeleted.size() && name.compare(name.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
    name.resize(name.size() - kDeleted.size());
  }
  return name;
}

}  // namespace

const char* KindName(MemfdKind kind) {
  switch (kind) {
    case MemfdKind::kTexture: return "texture";
    case MemfdKind::kSemaphore: return "semaphore";
    case MemfdKind::kFence: return "fence";
  }
  return "unknown";
}

Result<UniqueFd> CreateSealedMemfd(MemfdKind kind, uint64_t size) {
  std::string name = std::string("geyser-") + KindName(kind);
  UniqueFd fd(::memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!fd.valid()) return ErrnoError("memfd_create(" + name + ") failed", errno);
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
    return ErrnoError("sizing the " + name + " memfd to " + std::to_string(size) + " bytes failed", errno);
  }
  if (::fcntl(fd.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    return ErrnoError("sealing the " + name + " memfd failed", errno);
  }
  return fd;
}

Result<uint64_t> CheckMemfd(int fd, MemfdKind kind, uint64_t min_size) {
  const std::string who = FdName(fd);
  const std::string wanted = KindName(kind);
  if (fd < 0 || ::fcntl(fd, F_GETFD) == -1) {
    return MakeError("InvalidTextureHandle", who + " is not open", "EBADF");
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) return ErrnoError("fstat of " + who + " failed", errno);
  if (!S_ISREG(info.st_mode)) {
    return MakeError("InvalidTextureHandle", who + " is " + DescribeFileType(info.st_mode) + ", not a memfd");
  }
  // F_GET_SEALS works only on shared-memory files; on anything else it fails with EINVAL.
  int seals = ::fcntl(fd, F_GET_SEALS);
  std::string name = MemfdName(FdTarget(fd));
  if (seals < 0 || name.empty()) {
    return MakeError("InvalidTextureHandle", who + " is a regular file, not a memfd");
  }
  if (name.compare(0, 7, "geyser-") != 0) {
    return MakeError("InvalidTextureHandle", who + " is a memfd named '" + name + "', not a geyser " + wanted);
  }
  if (name != "geyser-" + wanted) {
    return MakeError("InvalidTextureHandle", who + " is a " + name + " memfd, not a " + wanted);
  }
  if ((static_cast<unsigned>(seals) & kRequiredSeals) != kRequiredSeals) {
    return MakeError("InvalidTextureHandle",
                     who + " (" + name + " memfd) is not sealed against shrinking and growing, so a peer could truncate it");
  }
  uint64_t size = static_cast<uint64_t>(info.st_size);
  if (size < min_size) {
    return MakeError("InvalidTextureHandle", who + " (" + name + " memfd) holds " + std::to_string(size) +
                                                 " bytes, too small for the " + std::to_string(min_size) + " bytes expected");
  }
  return size;
}

Result<SharedMapping> SharedMapping::Map(int fd, size_t size) {
  if (size == 0) return SharedMapping();
  void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (data == MAP_FAILED) return ErrnoError("mapping " + FdName(fd) + " (" + std::to_string(size) + " bytes) failed", errno);
  return SharedMapping(data, size);
}

SharedMapping::SharedMapping(SharedMapping&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SharedMapping& SharedMapping::operator=(SharedMapping&& other) noexcept {
  if (this != &other) {
    Unmap();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void SharedMapping::Unmap() {
  UnmapRespectingPins(data_, size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace geyser::host
