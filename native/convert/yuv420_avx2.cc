#include "convert/yuv420_avx2.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GEYSER_HAVE_AVX2_LOOP 1
#endif

namespace geyser {

namespace {

bool FitsInt16(int32_t value) { return value >= -32768 && value <= 32767; }

}  // namespace

bool Avx2Supports(const YuvCoefficients& k) {
  return FitsInt16(k.yr) && FitsInt16(k.yb) && k.yg >= 0 && k.yg <= 65535 && FitsInt16(k.ur) && FitsInt16(k.ug) && FitsInt16(k.ub) &&
         FitsInt16(k.vr) && FitsInt16(k.vg) && FitsInt16(k.vb);
}

#ifdef GEYSER_HAVE_AVX2_LOOP

bool Avx2Available() {
  static const bool available = __builtin_cpu_supports("avx2");
  return available;
}

namespace {

// Two int16 in one int32 lane: `low` in the lower half, as pmaddwd pairs them with R (or G).
inline int32_t PairOf(int32_t low, int32_t high) {
  return static_cast<int32_t>((static_cast<uint32_t>(static_cast<uint16_t>(high)) << 16) | static_cast<uint16_t>(low));
}

// Luma of 8 RGBA pixels as 8 int32 (pixel order), with no shuffles: masking a pixel's 32 bits
// leaves R and B as two 16-bit halves (and G and A after a shift), so pmaddwd forms yr R + yb B
// and ygRest G in place. yg may exceed int16: it is split into 32768 * G (a shift) plus the rest.
__attribute__((target("avx2"))) inline __m256i Luma8(__m256i rgba, __m256i redBlue, __m256i greenRest, __m256i greenShifted, __m256i offset) {
  const __m256i lowBytes = _mm256_set1_epi32(0x00ff00ff);
  const __m256i rb = _mm256_and_si256(rgba, lowBytes);
  const __m256i ga = _mm256_and_si256(_mm256_srli_epi32(rgba, 8), lowBytes);
  __m256i sum = _mm256_add_epi32(_mm256_madd_epi16(rb, redBlue), _mm256_madd_epi16(ga, greenRest));
  sum = _mm256_add_epi32(sum, _mm256_and_si256(_mm256_slli_epi32(ga, 15), greenShifted));
  return _mm256_srai_epi32(_mm256_add_epi32(sum, offset), 16);
}

// 16 luma values (two Luma8 results) to 16 bytes in pixel order.
__attribute__((target("avx2"))) inline __m128i PackLuma16(__m256i a, __m256i b) {
  const __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xd8);  // a0-7, b0-7
  const __m256i bytes = _mm256_packus_epi16(words, words);
  return _mm256_castsi256_si128(_mm256_permute4x64_epi64(bytes, 0x08));
}

// U and V of the 4 blocks under 8 pixels of each row, as int32 U0 V0 U1 V1 | U2 V2 U3 V3, with
// no shuffles: vertical sums per 16-bit half, then each pixel pair summed into its even lane.
__attribute__((target("avx2"))) inline __m256i Chroma4(__m256i top, __m256i bottom, const __m256i coeffs[4], __m256i offset) {
  const __m256i lowBytes = _mm256_set1_epi32(0x00ff00ff);
  __m256i rb = _mm256_add_epi16(_mm256_and_si256(top, lowBytes), _mm256_and_si256(bottom, lowBytes));
  __m256i ga = _mm256_add_epi16(_mm256_and_si256(_mm256_srli_epi32(top, 8), lowBytes), _mm256_and_si256(_mm256_srli_epi32(bottom, 8), lowBytes));
  rb = _mm256_add_epi16(rb, _mm256_srli_epi64(rb, 32));  // even lanes: the block's R and B sums
  ga = _mm256_add_epi16(ga, _mm256_srli_epi64(ga, 32));  // even lanes: its G (and A) sums
  const __m256i u = _mm256_add_epi32(_mm256_add_epi32(_mm256_madd_epi16(rb, coeffs[0]), _mm256_madd_epi16(ga, coeffs[1])), offset);
  const __m256i v = _mm256_add_epi32(_mm256_add_epi32(_mm256_madd_epi16(rb, coeffs[2]), _mm256_madd_epi16(ga, coeffs[3])), offset);
  // U stays in the even lanes, V moves into the odd ones.
  const __m256i evenLanes = _mm256_set1_epi64x(0xffffffff);
  return _mm256_or_si256(_mm256_and_si256(_mm256_srai_epi32(u, 18), evenLanes), _mm256_slli_epi64(_mm256_srai_epi32(v, 18), 32));
}

}  // namespace

__attribute__((target("avx2"))) int ConvertBlockRowAvx2(const BlockRow& row, int width, Yuv420Layout layout, const YuvCoefficients& k) {
  const int done = width & ~15;
  const bool splitGreen = k.yg > 32767;
  const int16_t ygRest = static_cast<int16_t>(splitGreen ? k.yg - 32768 : k.yg);
  const __m256i redBlue = _mm256_set1_epi32(PairOf(k.yr, k.yb));
  const __m256i greenRest = _mm256_set1_epi32(PairOf(ygRest, 0));
  const __m256i greenShifted = _mm256_set1_epi32(splitGreen ? 0xff << 15 : 0);
  const __m256i lumaOffset = _mm256_set1_epi32((16 << 16) + (1 << 15));
  const __m256i chromaCoeffs[4] = {_mm256_set1_epi32(PairOf(k.ur, k.ub)), _mm256_set1_epi32(PairOf(k.ug, 0)), _mm256_set1_epi32(PairOf(k.vr, k.vb)), _mm256_set1_epi32(PairOf(k.vg, 0))};
  const __m256i chromaOffset = _mm256_set1_epi32((128 << 18) + (1 << 17));
  // I420: gather the U bytes then the V bytes of 8 interleaved pairs.
  const __m128i splitUv = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
  for (int x = 0; x < done; x += 16) {
    const __m256i t0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.top + 4 * x));
    const __m256i t1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.top + 4 * x + 32));
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.bottom + 4 * x));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.bottom + 4 * x + 32));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(row.yTop + x),
                     PackLuma16(Luma8(t0, redBlue, greenRest, greenShifted, lumaOffset), Luma8(t1, redBlue, greenRest, greenShifted, lumaOffset)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(row.yBottom + x),
                     PackLuma16(Luma8(b0, redBlue, greenRest, greenShifted, lumaOffset), Luma8(b1, redBlue, greenRest, greenShifted, lumaOffset)));
    // 8 blocks: U0 V0 .. U7 V7 as 16 bytes.
    const __m128i uv = PackLuma16(Chroma4(t0, b0, chromaCoeffs, chromaOffset), Chroma4(t1, b1, chromaCoeffs, chromaOffset));
    if (layout == Yuv420Layout::kNv12) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(row.u + x), uv);
    } else {
      const __m128i planar = _mm_shuffle_epi8(uv, splitUv);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(row.u + x / 2), planar);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(row.v + x / 2), _mm_unpackhi_epi64(planar, planar));
    }
  }
  return done;
}

#else

bool Avx2Available() { return false; }
int ConvertBlockRowAvx2(const BlockRow&, int, Yuv420Layout, const YuvCoefficients&) { return 0; }

#endif

}  // namespace geyser
