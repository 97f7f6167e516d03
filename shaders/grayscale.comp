#version 450
// BT.709 luma with the CPU kernel's exact integer math (src/nodes/kernels/grayscale.ts):
// Y = (2126 R + 7152 G + 722 B + 5000) / 10000, alpha kept. binding 0: source, binding 1: target
// (rgba8unorm, same size; they may not be the same texture).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, rgba8) uniform writeonly image2D target;

void main() {
  ivec2 p = ivec2(gl_GlobalInvocationID.xy);
  if (any(greaterThanEqual(p, imageSize(target)))) return;
  uvec4 c = loadBytes(source, p);
  uint y = (2126u * c.r + 7152u * c.g + 722u * c.b + 5000u) / 10000u;
  imageStore(target, p, toUnorm(uvec4(y, y, y, c.a)));
}
