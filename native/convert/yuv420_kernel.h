// RGBA -> 8-bit 4:2:0 YUV (I420 or NV12), limited range: the same integer arithmetic as the TS
// reference kernel (src/nodes/kernels/yuv420.ts), bit for bit, so the native path is a drop-in.
// Plain C++ with no N-API: safe to run on any thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace geyser {

enum class Yuv420Layout { kI420, kNv12 };

// Fixed-point coefficients scaled by 2^16 (Y row, U row, V row), as YUV_COEFFICIENTS in TS.
struct YuvCoefficients {
  int32_t yr, yg, yb;
  int32_t ur, ug, ub;
  int32_t vr, vg, vb;
};

struct Yuv420Image {
  const uint8_t* rgba;  // width * height * 4 bytes, tightly packed rows
  uint8_t* yuv;         // Yuv420Bytes(width, height) bytes
  int width;
  int height;
  Yuv420Layout layout;
};

size_t Yuv420Bytes(int width, int height);

// Converts the block rows [firstBlockRow, endBlockRow) of the image (a block row is two pixel rows:
// the luma of both and the chroma between them). Disjoint ranges may run on different threads.
void ConvertRgbaToYuv420Rows(const Yuv420Image& image, const YuvCoefficients& k, int firstBlockRow, int endBlockRow);

// Block rows of an image: ceil(height / 2).
inline int Yuv420BlockRows(int height) { return (height + 1) / 2; }

}  // namespace geyser
