#version 450
// Bilinear resize to any size (binding 0: source, binding 1: target, both rgba8unorm), with the CPU
// kernel's conventions: see bilinear.glsl.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "bilinear.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, rgba8) uniform writeonly image2D target;

void main() {
  ivec2 p = ivec2(gl_GlobalInvocationID.xy);
  ivec2 targetSize = imageSize(target);
  if (any(greaterThanEqual(p, targetSize))) return;
  ivec2 sourceSize = imageSize(source);
  ivec3 xs = taps(p.x, sourceSize.x, targetSize.x);
  ivec3 ys = taps(p.y, sourceSize.y, targetSize.y);
  ivec4 a = ivec4(loadBytes(source, ivec2(xs.x, ys.x)));
  ivec4 b = ivec4(loadBytes(source, ivec2(xs.y, ys.x)));
  ivec4 c = ivec4(loadBytes(source, ivec2(xs.x, ys.y)));
  ivec4 d = ivec4(loadBytes(source, ivec2(xs.y, ys.y)));
  imageStore(target, p, toUnorm(bilinearBlend(a, b, c, d, xs, ys)));
}
