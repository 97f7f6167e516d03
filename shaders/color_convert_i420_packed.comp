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

// The texel of `block`'s sample in a chroma plane that starts `halfRow` (0 or 1) half rows into
// texture row `top`: two chroma rows of `chromaWidth` bytes fill one texture row, so shifts stand
// in for a division by the width.
ivec2 chromaTexel(ivec2 block, int top, int halfRow, int chromaWidth) {
  int j = block.y + halfRow;
  return ivec2((j & 1) * chromaWidth + block.x, top + (j >> 1));
}

void main() {
  ivec2 size = imageSize(source);
  ivec2 chroma = size / 2;
  ivec2 block = ivec2(gl_GlobalInvocationID.xy);
  if (any(greaterThanEqual(block, chroma))) return;
  ivec2 uv;
  YUV_BLOCK(source, packedTarget, block, size, uv)
  // U starts at texture row H; V right after U's chroma.y rows, half-way along a row when that is odd.
  imageStore(packedTarget, chromaTexel(block, size.y, 0, chroma.x), vec4(float(uv.x) / 255.0));
  imageStore(packedTarget, chromaTexel(block, size.y + (chroma.y >> 1), chroma.y & 1, chroma.x), vec4(float(uv.y) / 255.0));
}
