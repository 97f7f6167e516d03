#include "convert/grayscale_kernel.h"

#include <cstring>

#include "convert/simd_clones.h"

namespace geyser {

namespace {

// One pixel as a 32-bit word (R in the low byte on little-endian machines, which are all Node
// targets): the compiler vectorizes the word loop, and the division by the constant 10000 becomes
// a multiply, exact over the whole range (at most 2,555,000).
inline uint32_t GrayPixel(uint32_t rgba) {
  const uint32_t r = rgba & 0xff;
  const uint32_t g = (rgba >> 8) & 0xff;
  const uint32_t b = (rgba >> 16) & 0xff;
  const uint32_t y = (2126 * r + 7152 * g + 722 * b + 5000) / 10000;
  return y | (y << 8) | (y << 16) | (rgba & 0xff000000u);
}

}  // namespace

GEYSER_SIMD_CLONES
void GrayscaleRgba(const uint8_t* src, uint8_t* dst, size_t pixels) {
#if defined(__BYTE_ORDER__)
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "GrayPixel reads R from the low byte");
#endif
  for (size_t i = 0; i < pixels; i++) {
    uint32_t rgba;
    std::memcpy(&rgba, src + 4 * i, 4);
    const uint32_t gray = GrayPixel(rgba);
    std::memcpy(dst + 4 * i, &gray, 4);
  }
}

}  // namespace geyser
