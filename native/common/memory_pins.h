// Pins on memory that native code reads or writes off the JS thread (an async converter working
// on a mapped texture). Shared mappings are unmapped through UnmapRespectingPins: while a pin
// overlaps, the pages are dropped (the range becomes private zero pages, so a late read sees zeros
// instead of faulting) and the range itself is unmapped when the last overlapping pin goes.
#pragma once

#include <cstddef>

namespace geyser {

class MemoryPin {
 public:
  MemoryPin(const void* data, size_t size);
  ~MemoryPin();
  MemoryPin(const MemoryPin&) = delete;
  MemoryPin& operator=(const MemoryPin&) = delete;

 private:
  const void* data_;
  size_t size_;
};

#ifndef _WIN32
// munmap(data, size), or, while a MemoryPin overlaps the range, the deferred form described above.
// POSIX only: on Windows the pins still guard the converters' buffers, but no shared mapping exists.
void UnmapRespectingPins(void* data, size_t size);
#endif

}  // namespace geyser
