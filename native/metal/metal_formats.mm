#ifdef __APPLE__
#include "metal/metal_formats.h"

#import <CoreVideo/CoreVideo.h>

namespace geyser::metal {

MetalFormat MetalFormatFor(const std::string& format, id<MTLDevice> device) {
  if (format == "rgba8unorm") return {MTLPixelFormatRGBA8Unorm, 4, kCVPixelFormatType_32RGBA};
  if (format == "rgba8unorm-srgb") return {MTLPixelFormatRGBA8Unorm_sRGB, 4, kCVPixelFormatType_32RGBA};
  if (format == "bgra8unorm") return {MTLPixelFormatBGRA8Unorm, 4, kCVPixelFormatType_32BGRA};
  if (format == "bgra8unorm-srgb") return {MTLPixelFormatBGRA8Unorm_sRGB, 4, kCVPixelFormatType_32BGRA};
  if (format == "r8unorm") return {MTLPixelFormatR8Unorm, 1, kCVPixelFormatType_OneComponent8};
  if (format == "rg8unorm") return {MTLPixelFormatRG8Unorm, 2, kCVPixelFormatType_TwoComponent8};
  if (format == "r16float") return {MTLPixelFormatR16Float, 2, kCVPixelFormatType_OneComponent16Half};
  if (format == "rg16float") return {MTLPixelFormatRG16Float, 4, kCVPixelFormatType_TwoComponent16Half};
  if (format == "rgba16float") return {MTLPixelFormatRGBA16Float, 8, kCVPixelFormatType_64RGBAHalf};
  if (format == "r16uint") return {MTLPixelFormatR16Uint, 2, 0};
  if (format == "r16sint") return {MTLPixelFormatR16Sint, 2, 0};
  if (format == "r32float") return {MTLPixelFormatR32Float, 4, kCVPixelFormatType_OneComponent32Float};
  if (format == "rg32float") return {MTLPixelFormatRG32Float, 8, kCVPixelFormatType_TwoComponent32Float};
  if (format == "rgba32float") return {MTLPixelFormatRGBA32Float, 16, kCVPixelFormatType_128RGBAFloat};
  if (format == "r32uint") return {MTLPixelFormatR32Uint, 4, 0};
  if (format == "r32sint") return {MTLPixelFormatR32Sint, 4, 0};
  if (format == "depth32float") return {MTLPixelFormatDepth32Float, 4, 0};
  if (format == "depth24plus") return {MTLPixelFormatDepth32Float, 4, 0};
  if (format == "depth24plus-stencil8") {
#if TARGET_OS_OSX
    if (device.depth24Stencil8PixelFormatSupported) return {MTLPixelFormatDepth24Unorm_Stencil8, 4, 0};
#endif
    return {MTLPixelFormatDepth32Float_Stencil8, 8, 0};
  }
  if (format == "rgb10a2unorm") return {MTLPixelFormatRGB10A2Unorm, 4, kCVPixelFormatType_ARGB2101010LEPacked};
  if (format == "rg11b10ufloat") return {MTLPixelFormatRG11B10Float, 4, 0};
  return {};
}

}  // namespace geyser::metal
#endif
