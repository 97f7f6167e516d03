#version 450
// RGBA -> NV12 packed into one texture: binding 0 source (rgba8unorm, W x H), binding 1 target
// (r8unorm, W x H*3/2, W and H even). The target's bytes, row after row, are the CPU kernel's
// 'nv12' layout: Y rows, then H/2 rows of interleaved U, V (texel 2x is U, 2x+1 is V of block x).
// Dispatch over the (W/2) x (H/2) blocks.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "yuv_common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, r8) uniform writeonly image2D packedTarget;

void main() {
  ivec2 size = imageSize(source);
  ivec2 block = ivec2(gl_GlobalInvocationID.xy);
  if (any(greaterThanEqual(block, size / 2))) return;
  ivec2 uv;
  YUV_BLOCK(source, packedTarget, block, size, uv)
  ivec2 u = ivec2(block.x * 2, size.y + block.y);
  imageStore(packedTarget, u, vec4(float(uv.x) / 255.0));
  imageStore(packedTarget, u + ivec2(1, 0), vec4(float(uv.y) / 255.0));
}
