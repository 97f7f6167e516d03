#version 450
// One layer of an overlay composite (overlayRgba in src/nodes/kernels/composite.ts): binding 0 is
// the layer, binding 1 the target (both rgba8unorm), blended in place with the CPU kernel's
// integer math: with a = (alpha * opacity) >> 8, out = (src a + dst (255 - a) + 127) / 255 per
// color channel and alpha' = a + (dstAlpha (255 - a) + 127) / 255 (integer division of
// non-negative values, so floor). Invocations cover the layer's part inside the target, from
// `clipOrigin`; each reads and writes only its own pixel. With `replace`, the layer's texels are
// copied as they are (the bottom layer, input 0).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"

layout(binding = 0, rgba8) uniform readonly image2D layer;
layout(binding = 1, rgba8) uniform image2D target;

layout(push_constant) uniform Layer {
  ivec2 position;    // the target pixel of the layer's top left; may be negative
  ivec2 clipOrigin;  // the target pixel of invocation (0, 0): max(position, 0)
  int opacity;       // 0 to 256 (256 keeps the layer's alpha)
  int replace;       // 1: copy instead of blending
} push;

void main() {
  ivec2 p = push.clipOrigin + ivec2(gl_GlobalInvocationID.xy);
  ivec2 end = min(push.position + imageSize(layer), imageSize(target));
  if (any(greaterThanEqual(p, end))) return;
  ivec4 src = ivec4(loadBytes(layer, p - push.position));
  if (push.replace != 0) {
    imageStore(target, p, toUnorm(uvec4(src)));
    return;
  }
  int a = (src.a * push.opacity) >> 8;
  if (a == 0) return;
  int inverse = 255 - a;
  ivec4 dst = ivec4(loadBytes(target, p));
  ivec3 rgb = (src.rgb * a + dst.rgb * inverse + 127) / 255;
  int alpha = a + (dst.a * inverse + 127) / 255;
  imageStore(target, p, toUnorm(uvec4(ivec4(rgb, alpha))));
}
