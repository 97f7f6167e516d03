// Sealed memfd shared memory: creation, validation of an fd received from elsewhere, and mapping.
//
// Ownership rule (the addon-wide rule of common/unique_fd.h, restated for this area):
//   * CreateSealedMemfd returns a new fd that the caller owns.
//   * CheckMemfd only inspects; it never closes the fd. An import that calls it consumes the fd
//     only after every check passed; on failure the caller still owns it.
//
// Every memfd Geyser creates is named for what it holds ("geyser-texture", "geyser-semaphore",
// "geyser-fence") and sealed against shrinking and growing, so no peer can truncate it under our
// mapping (which would turn our next read into SIGBUS).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace geyser::host {

// What a geyser memfd holds; its name is "geyser-" + KindName(kind).
enum class MemfdKind { kTexture, kSemaphore, kFence };

const char* KindName(MemfdKind kind);

// memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING), ftruncate(size), then seals
// F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL.
Result<UniqueFd> CreateSealedMemfd(MemfdKind kind, uint64_t size);

// Checks that `fd` is an open, sealed geyser memfd of `kind` holding at least `min_size` bytes.
// Returns its size. Each forged case gets its own message ("fd 57 is not open",
// "fd 31 is a geyser-texture memfd, not a semaphore", ...). Never closes `fd`.
Result<uint64_t> CheckMemfd(int fd, MemfdKind kind, uint64_t min_size);

// A MAP_SHARED read/write mapping, unmapped exactly once (by Unmap or the destructor).
class SharedMapping {
 public:
  static Result<SharedMapping> Map(int fd, size_t size);
  SharedMapping() = default;
  SharedMapping(const SharedMapping&) = delete;
  SharedMapping& operator=(const SharedMapping&) = delete;
  SharedMapping(SharedMapping&& other) noexcept;
  SharedMapping& operator=(SharedMapping&& other) noexcept;
  ~SharedMapping() { Unmap(); }

  void* data() const { return data_; }
  size_t size() const { return size_; }
  bool mapped() const { return data_ != nullptr; }
  // Respects MemoryPins (common/memory_pins.h): a range an async job still uses goes away after it.
  void Unmap();

 private:
  SharedMapping(void* data, size_t size) : data_(data), size_(size) {}
  void* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace geyser::host
