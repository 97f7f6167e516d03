#version 450
// Pass 1 of the GPU test pattern: every pixel of drawTestPattern's picture, computed on its own
// (bars scrolled by `shift`, the gray ramp, the counter "#seq" in white on a black box, row 0
// black), except the first 3 pixels of row 0, which pass 3 stamps. binding 0: target (rgba8unorm).
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "test_pattern_common.glsl"

layout(binding = 0, rgba8) uniform writeonly image2D target;

const uint GLYPH_WIDTH = 5u;
const uint GLYPH_HEIGHT = 7u;
const uint GLYPH_ADVANCE = 6u;
const uvec4 BLACK = uvec4(0u, 0u, 0u, 255u);
const uvec4 WHITE = uvec4(255u);

// The glyph of character i of "#seq" (`length` characters).
uint glyphOf(uint i, uint length) {
  if (i == 0u) return HASH_GLYPH;
  uint value = pattern.seq;
  for (uint k = length - 1u; k > i; k--) value /= 10u;
  return value % 10u;
}

// The counter's color at p, or the background's when p is outside the box.
uvec4 counter(uvec2 p, uvec4 background) {
  uint s = pattern.fontScale;
  uint length = pattern.textLength;
  uvec2 box = uvec2(pattern.counterX, pattern.counterY);
  uvec2 boxSize = uvec2((length * GLYPH_ADVANCE + 1u) * s, (GLYPH_HEIGHT + 2u) * s);
  if (any(lessThan(p, box)) || any(greaterThanEqual(p - box, boxSize))) return background;
  if (any(lessThan(p, box + s))) return BLACK;  // the box's one-font-pixel margin
  uvec2 cell = (p - box - s) / s;                   // font pixel under p, from the text's corner
  uint character = cell.x / GLYPH_ADVANCE;
  uint column = cell.x % GLYPH_ADVANCE;
  if (character >= length || column >= GLYPH_WIDTH || cell.y >= GLYPH_HEIGHT) return BLACK;
  uint bits = stamp.glyphRows[glyphOf(character, length) * GLYPH_HEIGHT + cell.y];
  return ((bits >> (GLYPH_WIDTH - 1u - column)) & 1u) == 1u ? WHITE : BLACK;
}

void main() {
  uvec2 p = gl_GlobalInvocationID.xy;
  uvec2 size = uvec2(imageSize(target));
  if (any(greaterThanEqual(p, size))) return;
  if (p.y == 0u) {
    // Row 0 is the stamp's: 12 bytes that pass 3 writes, then opaque black.
    if (p.x >= 3u) imageStore(target, ivec2(p), toUnorm(BLACK));
    return;
  }
  uint width = size.x;
  uvec4 color;
  if (p.y < pattern.barsHeight) {
    uint rgba = stamp.barColors[((p.x + pattern.shift) % width) * 8u / width];
    color = uvec4(rgba & 0xffu, (rgba >> 8) & 0xffu, (rgba >> 16) & 0xffu, rgba >> 24);
  } else {
    // Math.round(x * 255 / (width - 1)) in integers: round half up (width >= 3 here).
    uint level = (2u * 255u * p.x + (width - 1u)) / (2u * (width - 1u));
    color = uvec4(level, level, level, 255u);
  }
  imageStore(target, ivec2(p), toUnorm(counter(p, color)));
}
