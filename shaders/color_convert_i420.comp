#version 450
// RGBA -> I420 planes: binding 0 source (rgba8unorm, W x H), binding 1 Y (r8unorm, W x H),
// binding 2 U and binding 3 V (r8unorm, ceil(W/2) x ceil(H/2) each). Dispatch over a chroma
// plane. Reading Y, U, V back in that order gives the bytes of the CPU kernel's 'i420' layout.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "yuv_common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, r8) uniform writeonly image2D lumaPlane;
layout(binding = 2, r8) uniform writeonly image2D uPlane;
layout(binding = 3, r8) uniform writeonly image2D vPlane;

void main() {
  ivec2 block = ivec2(gl_GlobalInvocationID.xy);
  if (any(greaterThanEqual(block, imageSize(uPlane)))) return;
  ivec2 uv;
  YUV_BLOCK(source, lumaPlane, block, imageSize(source), uv)
  imageStore(uPlane, block, vec4(float(uv.x) / 255.0));
  imageStore(vPlane, block, vec4(float(uv.y) / 255.0));
}
