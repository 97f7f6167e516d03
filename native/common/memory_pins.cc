#include "common/memory_pins.h"

#ifndef _WIN32
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <vector>

namespace geyser {

namespace {

struct Range {
  uintptr_t begin;
  uintptr_t end;
  bool Overlaps(const Range& other) const { return begin < other.end && other.begin < end; }
};

Range RangeOf(const void* data, size_t size) {
  const auto begin = reinterpret_cast<uintptr_t>(data);
  return Range{begin, begin + size};
}

// Few pins live at once (one per in-flight async job), so plain vectors under one lock do.
std::mutex mutex;
std::vector<Range> pins;
#ifndef _WIN32
std::vector<Range> deferredUnmaps;  // POSIX only: the Windows build maps no shared memory yet
#endif

bool PinnedLocked(const Range& range) {
  return std::any_of(pins.begin(), pins.end(), [&](const Range& pin) { return pin.Overlaps(range); });
}

}  // namespace

MemoryPin::MemoryPin(const void* data, size_t size) : data_(data), size_(size) {
  std::lock_guard<std::mutex> lock(mutex);
  pins.push_back(RangeOf(data, size));
}

MemoryPin::~MemoryPin() {
  std::lock_guard<std::mutex> lock(mutex);
  const Range mine = RangeOf(data_, size_);
  const auto it = std::find_if(pins.begin(), pins.end(), [&](const Range& pin) { return pin.begin == mine.begin && pin.end == mine.end; });
  if (it != pins.end()) pins.erase(it);
#ifndef _WIN32
  for (auto deferred = deferredUnmaps.begin(); deferred != deferredUnmaps.end();) {
    if (PinnedLocked(*deferred)) {
      ++deferred;
      continue;
    }
    ::munmap(reinterpret_cast<void*>(deferred->begin), deferred->end - deferred->begin);
    deferred = deferredUnmaps.erase(deferred);
  }
#endif
}

#ifndef _WIN32

void UnmapRespectingPins(void* data, size_t size) {
  if (data == nullptr || size == 0) return;
  std::lock_guard<std::mutex> lock(mutex);
  const Range range = RangeOf(data, size);
  if (!PinnedLocked(range)) {
    ::munmap(data, size);
    return;
  }
  // Give the shared pages back now; keep the addresses valid (zeros) for the pinned reader. If even
  // that fails, the old mapping simply stays until the pin goes.
  ::mmap(data, size, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  deferredUnmaps.push_back(range);
}
#endif

}  // namespace geyser
