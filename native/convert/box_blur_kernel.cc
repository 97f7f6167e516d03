#include "convert/box_blur_kernel.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "convert/simd_clones.h"

namespace geyser {

namespace {

// Per-row horizontal window sums of each channel: a running sum, edges clamped (as the TS kernel).
void HorizontalSums(const uint8_t* src, uint32_t* sums, int width, int height, int r) {
  const int last = width - 1;
  for (int y = 0; y < height; y++) {
    const uint8_t* row = src + static_cast<size_t>(y) * width * 4;
    uint32_t* out = sums + static_cast<size_t>(y) * width * 4;
    uint32_t s[4] = {0, 0, 0, 0};
    for (int k = -r; k <= r; k++) {
      const uint8_t* p = row + std::clamp(k, 0, last) * 4;
      for (int c = 0; c < 4; c++) s[c] += p[c];
    }
    for (int x = 0; x < width; x++) {
      const uint8_t* entering = row + std::min(x + r + 1, last) * 4;
      const uint8_t* leaving = row + std::max(x - r, 0) * 4;
      for (int c = 0; c < 4; c++) {
        out[4 * x + c] = s[c];
        s[c] += entering[c] - leaving[c];
      }
    }
  }
}

// Rounded means are floor(n / area) with n = sum + half. The area is fixed per call, so the
// division becomes the high half of a 32 x 32-bit multiply and a shift (which vectorizes):
// with s = floor(log2(area)) and M = ceil(2^(32+s) / area) < 2^32, floor(n * M / 2^(32+s)) equals
// floor(n / area) while n * area < 2^(32+s); here n < 256 * area and area < 2^(s+1), so
// n * area < 2^(2s+10) <= 2^(32+s) for every area up to 511^2 (s <= 17).
struct Divider {
  uint32_t multiplier;
  int shift;
};

Divider DividerFor(uint32_t area) {
  int shift = 0;
  while ((uint64_t{2} << shift) <= area) shift++;
  return Divider{static_cast<uint32_t>(((uint64_t{1} << (32 + shift)) + area - 1) / area), shift};
}

// One output row from the running column sums, then the window moves down a row.
GEYSER_SIMD_CLONES
void MeansRow(uint32_t* column, const uint32_t* entering, const uint32_t* leaving, uint8_t* out, size_t count, uint32_t half, Divider divider) {
  for (size_t i = 0; i < count; i++) {
    const uint32_t sum = column[i];
    const uint32_t high = static_cast<uint32_t>((static_cast<uint64_t>(sum + half) * divider.multiplier) >> 32);
    out[i] = static_cast<uint8_t>(high >> divider.shift);
    column[i] = sum + entering[i] - leaving[i];
  }
}

}  // namespace

void BoxBlurRgba(const uint8_t* src, uint8_t* dst, int width, int height, int radius) {
  const size_t stride = static_cast<size_t>(width) * 4;
  // Reused between calls: a frame's sums are 16 bytes a pixel, too many to allocate per frame.
  thread_local std::vector<uint32_t> sums;
  thread_local std::vector<uint32_t> column;
  sums.resize(stride * height);
  column.assign(stride, 0);
  HorizontalSums(src, sums.data(), width, height, radius);
  const int last = height - 1;
  const uint32_t area = static_cast<uint32_t>((2 * radius + 1) * (2 * radius + 1));
  const uint32_t half = area / 2;
  for (int k = -radius; k <= radius; k++) {
    const uint32_t* row = sums.data() + std::clamp(k, 0, last) * stride;
    for (size_t i = 0; i < stride; i++) column[i] += row[i];
  }
  const Divider divider = DividerFor(area);
  for (int y = 0; y < height; y++) {
    const uint32_t* entering = sums.data() + std::min(y + radius + 1, last) * stride;
    const uint32_t* leaving = sums.data() + std::max(y - radius, 0) * stride;
    MeansRow(column.data(), entering, leaving, dst + y * stride, stride, half, divider);
  }
}

}  // namespace geyser
