// WebGPU format strings -> MTLPixelFormat, and IOSurface bytes per element (macOS only).
#pragma once
#ifdef __APPLE__
#import <Metal/Metal.h>

#include <string>

namespace geyser::metal {

struct MetalFormat {
  MTLPixelFormat pixelFormat = MTLPixelFormatInvalid;
  unsigned bytesPerElement = 0;
  unsigned fourCC = 0;  // IOSurface pixel format code where one exists, else 0
};

// depth24plus has no 24-bit depth-only Metal format: it maps to Depth32Float (as WebGPU does);
// depth24plus-stencil8 to Depth24Unorm_Stencil8 when the device supports it, else Depth32Float_Stencil8.
MetalFormat MetalFormatFor(const std::string& format, id<MTLDevice> device);

}  // namespace geyser::metal
#endif
