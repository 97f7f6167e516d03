// Bilinear sampling with the CPU kernel's conventions (src/nodes/kernels/scale.ts), shared by
// scale.comp and composite_tile.comp: pixel centers aligned (src = (dst + 0.5) * srcSize / dstSize
// - 0.5, clamped at the edges) and 11-bit fixed-point weights, rounded half up. The position is
// computed in float32 here (float64 on the CPU), so a weight can differ by one step of 1/2048 and
// a channel by at most 1.

const int ONE = 2048;

// The two source coordinates blended for target coordinate t, and the second one's weight.
ivec3 taps(int t, int sourceSize, int targetSize) {
  float position = (float(t) + 0.5) * (float(sourceSize) / float(targetSize)) - 0.5;
  position = clamp(position, 0.0, float(sourceSize - 1));
  int base = int(floor(position));
  int weight = int(floor((position - float(base)) * float(ONE) + 0.5));
  return ivec3(base, min(base + 1, sourceSize - 1), weight);
}

// The blend of the four source texels at (xs.x, ys.x), (xs.y, ys.x), (xs.x, ys.y), (xs.y, ys.y)
// with the weights xs.z, ys.z, as the CPU's separable pass computes it (exact in int32).
uvec4 bilinearBlend(ivec4 a, ivec4 b, ivec4 c, ivec4 d, ivec3 xs, ivec3 ys) {
  int fx = xs.z, gx = ONE - fx, fy = ys.z, gy = ONE - fy;
  ivec4 upper = gx * a + fx * b;
  ivec4 lower = gx * c + fx * d;
  return uvec4((gy * upper + fy * lower + (1 << 21)) >> 22);
}
