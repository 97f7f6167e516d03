#version 450
// Box blur, pass 2 of 2: sums 2r+1 rows of pass 1's horizontal sums (edge rows repeat) in integers
// and divides by the box area, rounding half up: floor((sum + d / 2) / d), d = (2r+1)^2, exactly
// the CPU kernel's result (src/nodes/kernels/box-blur.ts). binding 0: sums (rgba32float),
// binding 1: target (rgba8unorm). Push constant: radius.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(binding = 0, rgba32f) uniform readonly image2D sums;
layout(binding = 1, rgba8) uniform writeonly image2D target;
layout(push_constant) uniform Push { int radius; } push;

void main() {
  ivec2 p = ivec2(gl_GlobalInvocationID.xy);
  ivec2 size = imageSize(target);
  if (any(greaterThanEqual(p, size))) return;
  uvec4 sum = uvec4(0);
  for (int k = -push.radius; k <= push.radius; ++k) {
    sum += uvec4(imageLoad(sums, ivec2(p.x, clamp(p.y + k, 0, size.y - 1))));
  }
  uint area = uint((2 * push.radius + 1) * (2 * push.radius + 1));
  imageStore(target, p, toUnorm((sum + area / 2u) / area));
}
