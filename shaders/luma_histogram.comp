#version 450
// Histogram of BT.709 luma (the grayscale shader's integer formula) into 256 bins of a storage
// buffer. binding 0: source (rgba8unorm), binding 1: uint bins[256], zeroed by the caller.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, std430) buffer Histogram { uint bins[256]; } histogram;

void main() {
  ivec2 p = ivec2(gl_GlobalInvocationID.xy);
  if (any(greaterThanEqual(p, imageSize(source)))) return;
  uvec4 c = loadBytes(source, p);
  uint y = (2126u * c.r + 7152u * c.g + 722u * c.b + 5000u) / 10000u;
  atomicAdd(histogram.bins[y], 1u);
}
