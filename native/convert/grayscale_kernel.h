// RGBA -> gray by BT.709 luma, the same integer arithmetic as the TS reference kernel
// (src/nodes/kernels/grayscale.ts), bit for bit. Plain C++ with no N-API: safe on any thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace geyser {

// Writes `pixels` RGBA pixels of `dst` from those of `src`: R, G and B become
// floor((2126 R + 7152 G + 722 B + 5000) / 10000), alpha is kept. `src` and `dst` may be the same
// buffer (in place); otherwise they must not overlap.
void GrayscaleRgba(const uint8_t* src, uint8_t* dst, size_t pixels);

}  // namespace geyser
