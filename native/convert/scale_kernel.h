// Bilinear resampling of an RGBA image into a rectangle of another, the same integer arithmetic as
// the TS reference kernel (src/nodes/kernels/scale.ts), bit for bit. The taps (source index pairs
// and 11-bit weights per output column and row) come from the TS side, so both share one
// definition of the sample positions. Plain C++ with no N-API.
#pragma once

#include <cstdint>

namespace geyser {

struct AxisTaps {
  const int32_t* first;   // per output position: the lower source index
  const int32_t* second;  // the upper one (clamped to the edge)
  const int32_t* weight;  // the upper one's weight, 0..2048
};

struct ScaleJob {
  const uint8_t* src;  // RGBA, srcWidth x srcHeight
  int srcWidth;
  uint8_t* dst;        // RGBA, dstWidth pixels a row; must not overlap src
  int dstWidth;
  int rectX, rectY, rectWidth, rectHeight;  // where the scaled image goes in dst
  AxisTaps xs;         // rectWidth entries
  AxisTaps ys;         // rectHeight entries
};

void ScaleBilinearRgba(const ScaleJob& job);

}  // namespace geyser
