// UniqueFd: owns one POSIX file descriptor and closes it exactly once.
//
// Ownership rule for OS handles across the whole addon (tested by counting /proc/self/fd):
//   * A function that *imports* an fd consumes it only on success; on failure the caller still
//     owns it and must close it (or keep it for a retry).
//   * A function that *exports* returns a new fd that the caller owns.
//   * Nothing closes an fd it does not own.
#pragma once

#ifndef _WIN32
#include <unistd.h>
#endif

namespace geyser {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
#ifndef _WIN32
    if (fd_ >= 0) ::close(fd_);
#endif
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace geyser
