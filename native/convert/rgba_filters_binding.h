// JS bindings of the RGBA filter kernels (grayscale, box blur, bilinear scale): synchronous calls
// on the JS thread, which the TS wrappers validate first (naming the user's fields); the checks
// here only guard memory.
#pragma once

#include <napi.h>

namespace geyser {

// Adds grayscaleRgba, boxBlurRgba and scaleBilinearRgba to the addon's exports.
void RegisterRgbaFilters(Napi::Env env, Napi::Object exports);

}  // namespace geyser
