// The AVX2 inner loop of the RGBA -> 4:2:0 converter: one block row (two pixel rows), 16 pixels a
// step, the same integer arithmetic as the scalar kernel bit for bit. Present on x86-64 builds,
// used only when the CPU has AVX2 (checked once at run time).
#pragma once

#include <cstdint>

#include "convert/yuv420_kernel.h"

namespace geyser {

struct BlockRow {
  const uint8_t* top;     // RGBA of the upper pixel row
  const uint8_t* bottom;  // RGBA of the lower pixel row
  uint8_t* yTop;          // its luma rows
  uint8_t* yBottom;
  uint8_t* u;             // first chroma sample of the row (NV12: the interleaved UV row)
  uint8_t* v;             // I420 only
};

// True when this build has the AVX2 loop and the CPU runs it.
bool Avx2Available();

// Converts the first `width & ~15` pixels of a block row; returns how many it did (the caller
// finishes the rest with the scalar loop). Needs every coefficient inside int16 except yg, which may
// reach 65535 (Avx2Supports says whether these coefficients fit).
int ConvertBlockRowAvx2(const BlockRow& row, int width, Yuv420Layout layout, const YuvCoefficients& k);

// Whether the coefficients fit the AVX2 loop's 16-bit multiplies.
bool Avx2Supports(const YuvCoefficients& k);

}  // namespace geyser
