#version 450
// RGBA -> I420 packed into one texture: binding 0 source (rgba8unorm, W x H), binding 1 target
// (r8unorm, W x H*3/2, W and H even). The target's bytes, row after row, are the CPU kernel's
// 'i420' layout: Y rows, then the U plane, then the V plane, each (W/2) x (H/2). A chroma row is
// half a texture row, so each texture row of U or V holds two chroma rows (and when H/2 is odd,
// the V plane starts half-way along a row). Dispatch over the (W/2) x (H/2) blocks.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "yuv_common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, r8) uniform writeonly image2D packedTarget;

// The texel holding byte `index` of the packed frame (rows of `width` bytes).
ivec2 texelAt(int index, int width) { return ivec2(index % width, index / width); }

void main() {
  ivec2 size = imageSize(source);
  ivec2 chroma = size / 2;
  ivec2 block = ivec2(gl_GlobalInvocationID.xy);
  if (any(greaterThanEqual(block, chroma))) return;
  ivec2 uv;
  YUV_BLOCK(source, packedTarget, block, size, uv)
  int inPlane = block.y * chroma.x + block.x;
  int uStart = size.x * size.y;
  int vStart = uStart + chroma.x * chroma.y;
  imageStore(packedTarget, texelAt(uStart + inPlane, size.x), vec4(float(uv.x) / 255.0));
  imageStore(packedTarget, texelAt(vStart + inPlane, size.x), vec4(float(uv.y) / 255.0));
}
