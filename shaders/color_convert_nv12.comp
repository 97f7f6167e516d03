#version 450
// RGBA -> NV12 planes: binding 0 source (rgba8unorm, W x H), binding 1 Y (r8unorm, W x H),
// binding 2 interleaved UV (rg8unorm, ceil(W/2) x ceil(H/2)). Dispatch over the UV plane.
// Reading Y then UV back gives the bytes of the CPU kernel's 'nv12' layout.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "yuv_common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, r8) uniform writeonly image2D lumaPlane;
layout(binding = 2, rg8) uniform writeonly image2D chromaPlane;

void main() {
  ivec2 block = ivec2(gl_GlobalInvocationID.xy);
  if (any(greaterThanEqual(block, imageSize(chromaPlane)))) return;
  ivec2 uv;
  YUV_BLOCK(source, lumaPlane, block, imageSize(source), uv)
  imageStore(chromaPlane, block, vec4(vec2(uv) / 255.0, 0.0, 0.0));
}
