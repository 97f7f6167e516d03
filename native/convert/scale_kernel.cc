#include "convert/scale_kernel.h"

#include <algorithm>
#include <cstddef>
#include <vector>

#include "convert/simd_clones.h"

namespace geyser {

namespace {

constexpr int kWeightBits = 11;
constexpr int32_t kOne = 1 << kWeightBits;
constexpr int kShift = 2 * kWeightBits;
constexpr uint32_t kHalf = 1u << (kShift - 1);

// One source row interpolated horizontally, kept unrounded (11 extra bits), as the TS kernel does.
void HorizontalRow(const uint8_t* row, const AxisTaps& xs, int count, int32_t* out) {
  for (int x = 0; x < count; x++) {
    const uint8_t* a = row + xs.first[x] * 4;
    const uint8_t* b = row + xs.second[x] * 4;
    const int32_t fx = xs.weight[x];
    const int32_t gx = kOne - fx;
    for (int c = 0; c < 4; c++) out[4 * x + c] = gx * a[c] + fx * b[c];
  }
}

// An output row blends two interpolated rows: (gy upper + fy lower + half) >> 22, which equals the
// 4-tap formula exactly. The sum stays under 2^30, so unsigned 32-bit arithmetic holds it.
GEYSER_SIMD_CLONES
void BlendRows(const int32_t* upper, const int32_t* lower, int32_t fy, uint8_t* out, size_t count) {
  const uint32_t gy = static_cast<uint32_t>(kOne - fy);
  const uint32_t wy = static_cast<uint32_t>(fy);
  for (size_t i = 0; i < count; i++) {
    out[i] = static_cast<uint8_t>((gy * static_cast<uint32_t>(upper[i]) + wy * static_cast<uint32_t>(lower[i]) + kHalf) >> kShift);
  }
}

}  // namespace

void ScaleBilinearRgba(const ScaleJob& job) {
  const size_t rowLength = static_cast<size_t>(job.rectWidth) * 4;
  const size_t srcStride = static_cast<size_t>(job.srcWidth) * 4;
  const size_t dstStride = static_cast<size_t>(job.dstWidth) * 4;
  // Each needed source row is interpolated once: consecutive output rows mostly share their pair.
  std::vector<int32_t> upper(rowLength);
  std::vector<int32_t> lower(rowLength);
  int upperRow = -1;
  int lowerRow = -1;
  for (int y = 0; y < job.rectHeight; y++) {
    const int want0 = job.ys.first[y];
    const int want1 = job.ys.second[y];
    if (upperRow != want0) {
      if (lowerRow == want0) {
        std::swap(upper, lower);
        upperRow = want0;
        lowerRow = -1;
      } else {
        HorizontalRow(job.src + want0 * srcStride, job.xs, job.rectWidth, upper.data());
        upperRow = want0;
      }
    }
    if (lowerRow != want1) {
      if (want1 == upperRow) {
        lower = upper;
      } else {
        HorizontalRow(job.src + want1 * srcStride, job.xs, job.rectWidth, lower.data());
      }
      lowerRow = want1;
    }
    uint8_t* out = job.dst + (static_cast<size_t>(job.rectY) + y) * dstStride + static_cast<size_t>(job.rectX) * 4;
    BlendRows(upper.data(), lower.data(), job.ys.weight[y], out, rowLength);
  }
}

}  // namespace geyser
