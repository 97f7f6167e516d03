#include "convert/yuv420_kernel.h"

#include "convert/simd_clones.h"
#include "convert/yuv420_avx2.h"

namespace geyser {

namespace {

// The loops below are written so both SIMD clones vectorize: no branches in the bulk, the odd-size
// edge handled after it.

constexpr int32_t kLumaOffset = (16 << 16) + (1 << 15);
constexpr int32_t kChromaOffset = (128 << 18) + (1 << 17);

GEYSER_SIMD_CLONES
void LumaRow(const uint8_t* __restrict src, uint8_t* __restrict dst, int width, int32_t yr, int32_t yg, int32_t yb) {
  for (int x = 0; x < width; x++) {
    const uint8_t* p = src + 4 * x;
    dst[x] = static_cast<uint8_t>((yr * p[0] + yg * p[1] + yb * p[2] + kLumaOffset) >> 16);
  }
}

// Chroma of one block row: 2x2 sums of `top` and `bottom` (the same row for an odd last row).
// U goes to u[i * step], V to v[i * step]. The last block of an odd width repeats its one column.
GEYSER_SIMD_CLONES
void ChromaRow(const uint8_t* __restrict top, const uint8_t* __restrict bottom, uint8_t* __restrict u, uint8_t* __restrict v, int step, int width, const YuvCoefficients k) {
  const int pairs = width / 2;
  for (int i = 0; i < pairs; i++) {
    const uint8_t* a = top + 8 * i;
    const uint8_t* c = bottom + 8 * i;
    const int32_t rs = a[0] + a[4] + c[0] + c[4];
    const int32_t gs = a[1] + a[5] + c[1] + c[5];
    const int32_t bs = a[2] + a[6] + c[2] + c[6];
    u[i * step] = static_cast<uint8_t>((k.ur * rs + k.ug * gs + k.ub * bs + kChromaOffset) >> 18);
    v[i * step] = static_cast<uint8_t>((k.vr * rs + k.vg * gs + k.vb * bs + kChromaOffset) >> 18);
  }
  if (width % 2 != 0) {
    const uint8_t* a = top + 8 * pairs;
    const uint8_t* c = bottom + 8 * pairs;
    const int32_t rs = 2 * (a[0] + c[0]);
    const int32_t gs = 2 * (a[1] + c[1]);
    const int32_t bs = 2 * (a[2] + c[2]);
    u[pairs * step] = static_cast<uint8_t>((k.ur * rs + k.ug * gs + k.ub * bs + kChromaOffset) >> 18);
    v[pairs * step] = static_cast<uint8_t>((k.vr * rs + k.vg * gs + k.vb * bs + kChromaOffset) >> 18);
  }
}

}  // namespace

size_t Yuv420Bytes(int width, int height) {
  const size_t chroma = static_cast<size_t>((width + 1) / 2) * static_cast<size_t>((height + 1) / 2);
  return static_cast<size_t>(width) * static_cast<size_t>(height) + 2 * chroma;
}

void ConvertRgbaToYuv420Rows(const Yuv420Image& image, const YuvCoefficients& k, int firstBlockRow, int endBlockRow) {
  const int width = image.width;
  const int height = image.height;
  const size_t stride = static_cast<size_t>(width) * 4;
  const size_t lumaSize = static_cast<size_t>(width) * static_cast<size_t>(height);
  const size_t chromaWidth = static_cast<size_t>((width + 1) / 2);
  const size_t chromaSize = chromaWidth * static_cast<size_t>((height + 1) / 2);
  const bool nv12 = image.layout == Yuv420Layout::kNv12;
  uint8_t* const uPlane = image.yuv + lumaSize;
  uint8_t* const vPlane = nv12 ? uPlane + 1 : uPlane + chromaSize;
  const int step = nv12 ? 2 : 1;
  const size_t chromaRowBytes = nv12 ? 2 * chromaWidth : chromaWidth;
  const bool simd = Avx2Available() && Avx2Supports(k);
  for (int block = firstBlockRow; block < endBlockRow; block++) {
    const int y = 2 * block;
    const uint8_t* top = image.rgba + static_cast<size_t>(y) * stride;
    // An odd height's last block row repeats its only pixel row (and has one luma row).
    const bool hasBottom = y + 1 < height;
    const uint8_t* bottom = hasBottom ? top + stride : top;
    uint8_t* yTop = image.yuv + static_cast<size_t>(y) * width;
    uint8_t* yBottom = yTop + width;
    const size_t chromaRow = static_cast<size_t>(block) * chromaRowBytes;
    uint8_t* u = uPlane + chromaRow;
    uint8_t* v = vPlane + chromaRow;
    // The vector loop takes whole 16-pixel steps of full block rows; the scalar loop the rest.
    const int done = simd && hasBottom ? ConvertBlockRowAvx2(BlockRow{top, bottom, yTop, yBottom, u, v}, width, image.layout, k) : 0;
    const int rest = width - done;
    LumaRow(top + 4 * done, yTop + done, rest, k.yr, k.yg, k.yb);
    if (hasBottom) LumaRow(bottom + 4 * done, yBottom + done, rest, k.yr, k.yg, k.yb);
    const size_t firstBlock = static_cast<size_t>(done / 2) * step;
    ChromaRow(top + 4 * done, bottom + 4 * done, u + firstBlock, v + firstBlock, step, rest, k);
  }
}

}  // namespace geyser
