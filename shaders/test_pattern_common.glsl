// Shared by the three passes of the GPU test pattern (src/nodes/gpu/gpuTestPattern.ts fills both
// blocks; src/nodes/kernels/test-pattern.ts is the CPU picture they reproduce byte for byte).

// Per frame: the seq and the layout of testPatternLayout(width, height).
layout(push_constant) uniform Pattern {
  uint seq;
  uint shift;       // (seq * barStep) % width: how far the bars have moved left
  uint barsHeight;  // rows 0 .. barsHeight-1 hold the bars, the ramp is below
  uint fontScale;   // size of a font pixel of the counter
  uint counterX;    // top-left corner of the counter's black box
  uint counterY;
  uint textLength;  // characters of "#seq" (computed here, it would cost each pixel a loop of divisions)
} pattern;

// Binding 1: constants the CPU computed once per width, then the row CRCs pass 2 leaves for pass 3.
layout(binding = 1, std430) buffer Stamp {
  // Column i: what appending one row's worth (width * 4) of zero bytes does to CRC bit i. CRC-32
  // is linear over GF(2), so crc(A + row) = zeroRowOperator(crc(A)) ^ crc(row) (zlib's crc32_combine).
  uint zeroRowOperator[32];
  // BAR_COLORS, left to right, as little-endian RGBA words (R in the low byte).
  uint barColors[8];
  // bitmap-font's 5x7 glyphs of '0'..'9' then '#': 7 rows each, 5 bits a row, leftmost pixel highest.
  uint glyphRows[77];
  // rowCrc[y]: CRC-32 of the bytes of row y (y >= 1; rowCrc[0] is unused).
  uint rowCrc[];
} stamp;

const uint HASH_GLYPH = 10u;
