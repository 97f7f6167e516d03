#version 450
// Box blur, pass 1 of 2: for each pixel and channel, the sum of the 2r+1 pixels around it in its
// row (edge pixels repeat). binding 0: source (rgba8unorm), binding 1: sums (rgba32float, same
// size; sums up to 511 * 255 are exact in float32). Push constant: radius.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, rgba32f) uniform writeonly image2D sums;
layout(push_constant) uniform Push { int radius; } push;

void main() {
  ivec2 p = ivec2(gl_GlobalInvocationID.xy);
  ivec2 size = imageSize(sums);
  if (any(greaterThanEqual(p, size))) return;
  uvec4 sum = uvec4(0);
  for (int k = -push.radius; k <= push.radius; ++k) {
    sum += loadBytes(source, ivec2(clamp(p.x + k, 0, size.x - 1), p.y));
  }
  imageStore(sums, p, vec4(sum));
}
