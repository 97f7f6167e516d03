// Box blur of an RGBA image, the same integer arithmetic as the TS reference kernel
// (src/nodes/kernels/box-blur.ts), bit for bit: every channel (alpha too) becomes the rounded mean
// of the (2r+1) x (2r+1) square around it, edges clamped. Plain C++ with no N-API.
#pragma once

#include <cstdint>

namespace geyser {

// `src` and `dst` are width x height RGBA; they may be the same buffer (the source is read in full
// before the first write). 1 <= radius; the caller checks sizes.
void BoxBlurRgba(const uint8_t* src, uint8_t* dst, int width, int height, int radius);

}  // namespace geyser
