#version 450
// Pass 3 of the GPU test pattern: stampChecksum's row-0 stamp. One invocation combines, in order,
// the CRC of the 4 seq bytes with the CRC of each row (crc = zeroRowOperator(crc) ^ rowCrc[y]),
// then writes `GYS1`, seq and the CRC (little endian) into pixels 0..2 of row 0. The 256
// invocations of the work group first tabulate the operator a byte at a time (4 lookups a row
// instead of 32 conditional XORs). Dispatch exactly one work group. binding 0: target (rgba8unorm).
#extension GL_GOOGLE_include_directive : require
#include "test_pattern_common.glsl"

layout(local_size_x = 256, local_size_y = 1, local_size_z = 1) in;
layout(binding = 0, rgba8) uniform writeonly image2D target;

// byteOperator[k][n]: zeroRowOperator applied to byte n at byte position k of a CRC.
shared uint byteOperator[4][256];

// The 4 bytes of `word`, lowest first, as an rgba8unorm texel (common.glsl's toUnorm; that file
// also fixes the 16x16 work-group size this pass does not use).
vec4 littleEndian(uint word) {
  return vec4(word & 0xffu, (word >> 8) & 0xffu, (word >> 16) & 0xffu, word >> 24) / 255.0;
}

void main() {
  uint n = gl_LocalInvocationID.x;
  for (uint k = 0u; k < 4u; k++) {
    uint column = 0u;
    for (uint bit = 0u; bit < 8u; bit++) {
      if (((n >> bit) & 1u) != 0u) column ^= stamp.zeroRowOperator[k * 8u + bit];
    }
    byteOperator[k][n] = column;
  }
  memoryBarrierShared();
  barrier();
  if (n != 0u) return;

  // CRC-32 of the seq's 4 bytes, bit at a time.
  uint crc = 0xffffffffu ^ pattern.seq;
  for (int k = 0; k < 32; k++) crc = (crc & 1u) != 0u ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  crc = ~crc;
  uint height = uint(imageSize(target).y);
  for (uint y = 1u; y < height; y++) {
    crc = byteOperator[0][crc & 0xffu] ^ byteOperator[1][(crc >> 8) & 0xffu] ^ byteOperator[2][(crc >> 16) & 0xffu] ^
          byteOperator[3][crc >> 24] ^ stamp.rowCrc[y];
  }
  imageStore(target, ivec2(0, 0), vec4(0x47, 0x59, 0x53, 0x31) / 255.0);  // "GYS1"
  imageStore(target, ivec2(1, 0), littleEndian(pattern.seq));
  imageStore(target, ivec2(2, 0), littleEndian(crc));
}
