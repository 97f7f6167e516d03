#version 450
// Bilinear resize to any size (binding 0: source, binding 1: target, both rgba8unorm), with the CPU
// kernel's conventions (src/nodes/kernels/scale.ts): pixel centers aligned
// (src = (dst + 0.5) * srcSize / dstSize - 0.5, clamped at the edges) and 11-bit fixed-point
// weights, rounded half up. The position is computed in float32 here (float64 on the CPU), so a
// weight can differ by one step of 1/2048 and a channel by at most 1.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, rgba8) uniform writeonly image2D target;

const int ONE = 2048;

// The two source coordinates blended for target coordinate t, and the second one's weight.
ivec3 taps(int t, int sourceSize, int targetSize) {
  float position = (float(t) + 0.5) * (float(sourceSize) / float(targetSize)) - 0.5;
  position = clamp(position, 0.0, float(sourceSize - 1));
  int base = int(floor(position));
  int weight = int(floor((position - float(base)) * float(ONE) + 0.5));
  return ivec3(base, min(base + 1, sourceSize - 1), weight);
}

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
  int fx = xs.z, gx = ONE - fx, fy = ys.z, gy = ONE - fy;
  ivec4 upper = gx * a + fx * b;
  ivec4 lower = gx * c + fx * d;
  ivec4 value = (gy * upper + fy * lower + (1 << 21)) >> 22;
  imageStore(target, p, toUnorm(uvec4(value)));
}
