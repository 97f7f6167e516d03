#version 450
// One input of a tiles composite (compositeTiles in src/nodes/kernels/composite.ts): binding 0 is
// input `index`, binding 1 the target (both rgba8unorm). The target is a grid of columns x rows
// cells of floor(width / columns) x floor(height / rows) pixels, filled row by row; each pixel
// finds its cell and, if it is this input's, samples the input stretched over the cell exactly as
// scale.comp does (bilinear.glsl). The dispatch of input 0 covers the whole target and also writes
// the background where no cell (or a cell past the last input) is; the others cover only their
// cell (from `origin`), so every pixel is written by exactly one dispatch.
#extension GL_GOOGLE_include_directive : require
#include "common.glsl"
#include "bilinear.glsl"

layout(binding = 0, rgba8) uniform readonly image2D source;
layout(binding = 1, rgba8) uniform writeonly image2D target;

layout(push_constant) uniform Tile {
  ivec2 origin;     // the target pixel of invocation (0, 0)
  ivec2 grid;       // columns, rows
  int count;        // inputs, so cells past the last one get the background
  int index;        // the input bound at binding 0
  uint background;  // r | g << 8 | b << 16 | a << 24
} tile;

void main() {
  ivec2 p = tile.origin + ivec2(gl_GlobalInvocationID.xy);
  ivec2 targetSize = imageSize(target);
  if (any(greaterThanEqual(p, targetSize))) return;
  ivec2 cellSize = targetSize / tile.grid;
  ivec2 cell = p / cellSize;
  int at = cell.y * tile.grid.x + cell.x;
  bool covered = all(lessThan(cell, tile.grid)) && at < tile.count;
  if (covered && at == tile.index) {
    ivec2 q = p - cell * cellSize;
    ivec2 sourceSize = imageSize(source);
    ivec3 xs = taps(q.x, sourceSize.x, cellSize.x);
    ivec3 ys = taps(q.y, sourceSize.y, cellSize.y);
    ivec4 a = ivec4(loadBytes(source, ivec2(xs.x, ys.x)));
    ivec4 b = ivec4(loadBytes(source, ivec2(xs.y, ys.x)));
    ivec4 c = ivec4(loadBytes(source, ivec2(xs.x, ys.y)));
    ivec4 d = ivec4(loadBytes(source, ivec2(xs.y, ys.y)));
    imageStore(target, p, toUnorm(bilinearBlend(a, b, c, d, xs, ys)));
  } else if (!covered && tile.index == 0) {
    uint bg = tile.background;
    imageStore(target, p, toUnorm(uvec4(bg & 0xffu, (bg >> 8) & 0xffu, (bg >> 16) & 0xffu, bg >> 24)));
  }
}
