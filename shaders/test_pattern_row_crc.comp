#version 450
// Pass 2 of the GPU test pattern: one invocation per row y >= 1 computes the CRC-32 (zlib's, of
// the row's width * 4 bytes as stored) into stamp.rowCrc[y], reading the picture pass 1 drew.
// Four bytes (one pixel) a step, "slicing by 4", with the tables built in shared memory.
// binding 0: target (rgba8unorm).
#extension GL_GOOGLE_include_directive : require
#include "test_pattern_common.glsl"

layout(local_size_x = 64, local_size_y = 1, local_size_z = 1) in;
layout(binding = 0, rgba8) uniform readonly image2D target;

// table[0]: the byte-at-a-time table of polynomial 0xEDB88320; table[k][n]: n followed by k zero bytes.
shared uint table[4][256];

void main() {
  uint lane = gl_LocalInvocationID.x;
  for (uint n = lane; n < 256u; n += 64u) {
    uint c = n;
    for (int k = 0; k < 8; k++) c = (c & 1u) != 0u ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[0][n] = c;
  }
  for (uint k = 1u; k < 4u; k++) {
    memoryBarrierShared();
    barrier();
    for (uint n = lane; n < 256u; n += 64u) table[k][n] = (table[k - 1u][n] >> 8) ^ table[0][table[k - 1u][n] & 0xffu];
  }
  memoryBarrierShared();
  barrier();

  ivec2 size = imageSize(target);
  uint y = gl_GlobalInvocationID.x + 1u;
  if (y >= uint(size.y)) return;
  uint c = 0xffffffffu;
  for (int x = 0; x < size.x; x++) {
    uvec4 b = uvec4(round(imageLoad(target, ivec2(x, y)) * 255.0));
    c ^= b.r | (b.g << 8) | (b.b << 16) | (b.a << 24);
    c = table[3][c & 0xffu] ^ table[2][(c >> 8) & 0xffu] ^ table[1][(c >> 16) & 0xffu] ^ table[0][c >> 24];
  }
  stamp.rowCrc[y] = ~c;
}
