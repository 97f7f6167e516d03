// RGBA -> limited-range 4:2:0 YUV with the CPU kernel's exact integer math
// (src/nodes/kernels/yuv420.ts): fixed-point coefficients scaled by 2^16 arrive as push constants
// (BT.709 or BT.601), Y = (yr R + yg G + yb B + (16 << 16) + (1 << 15)) >> 16 per pixel, and per
// 2x2 block (edge pixels repeat for odd sizes) U = (ur Rs + ug Gs + ub Bs + (128 << 18) + (1 << 17)) >> 18
// over the block's channel sums, likewise V. One invocation handles one 2x2 block.
layout(push_constant) uniform Push { ivec4 y; ivec4 u; ivec4 v; } k;

int luma(ivec4 c) { return (k.y.x * c.r + k.y.y * c.g + k.y.z * c.b + (16 << 16) + (1 << 15)) >> 16; }

// Stores the luma of the block's in-bounds pixels into lumaTarget and sets uv to its (U, V).
#define YUV_BLOCK(source, lumaTarget, block, size, uv)                                  \
  {                                                                                     \
    ivec2 origin = block * 2;                                                           \
    ivec4 sum = ivec4(0);                                                               \
    for (int dy = 0; dy < 2; ++dy) {                                                    \
      for (int dx = 0; dx < 2; ++dx) {                                                  \
        ivec2 q = min(origin + ivec2(dx, dy), size - 1);                                \
        ivec4 c = ivec4(loadBytes(source, q));                                          \
        sum += c;                                                                       \
        if (all(equal(q, origin + ivec2(dx, dy))))                                      \
          imageStore(lumaTarget, q, vec4(float(luma(c)) / 255.0));                      \
      }                                                                                 \
    }                                                                                   \
    int offset = (128 << 18) + (1 << 17);                                               \
    uv = ivec2((k.u.x * sum.r + k.u.y * sum.g + k.u.z * sum.b + offset) >> 18,          \
               (k.v.x * sum.r + k.v.y * sum.g + k.v.z * sum.b + offset) >> 18);         \
  }
