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

// Luma of 8 RGBA pixels as 8 int32 (pixel order). yg may exceed int16, so it is split into
// 32768 * G (a shift) plus the rest: pmaddwd then sums (yr R + ygRest G) and (yb B) per pixel.
__attribute__((target("avx2"))) inline __m256i Luma8(__m256i rgba, __m256i coeffs, __m256i greenShifted, __m256i offset) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i lo = _mm256_madd_epi16(_mm256_unpacklo_epi8(rgba, zero), coeffs);  // pixels 0,1 | 4,5
  const __m256i hi = _mm256_madd_epi16(_mm256_unpackhi_epi8(rgba, zero), coeffs);  // pixels 2,3 | 6,7
  __m256i sum = _mm256_hadd_epi32(lo, hi);                                          // pixels 0-3 | 4-7
  const __m256i green = _mm256_and_si256(_mm256_srli_epi32(rgba, 8), _mm256_set1_epi32(0xff));
  sum = _mm256_add_epi32(sum, _mm256_and_si256(_mm256_slli_epi32(green, 15), greenShifted));
  return _mm256_srai_epi32(_mm256_add_epi32(sum, offset), 16);
}

// 16 luma values (two Luma8 results) to 16 bytes in pixel order.
__attribute__((target("avx2"))) inline __m128i PackLuma16(__m256i a, __m256i b) {
  const __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xd8);  // a0-7, b0-7
  const __m256i bytes = _mm256_packus_epi16(words, words);
  return _mm256_castsi256_si128(_mm256_permute4x64_epi64(bytes, 0x08));
}

// U and V of the 4 blocks under 8 pixels of each row, as int32 U0 V0 U1 V1 | U2 V2 U3 V3.
__attribute__((target("avx2"))) inline __m256i Chroma4(__m256i top, __m256i bottom, __m256i coeffs, __m256i offset) {
  const __m256i zero = _mm256_setzero_si256();
  __m256i lo = _mm256_add_epi16(_mm256_unpacklo_epi8(top, zero), _mm256_unpacklo_epi8(bottom, zero));  // columns of blocks 0 | 2
  __m256i hi = _mm256_add_epi16(_mm256_unpackhi_epi8(top, zero), _mm256_unpackhi_epi8(bottom, zero));  // blocks 1 | 3
  lo = _mm256_add_epi16(lo, _mm256_srli_si256(lo, 8));  // low 64 bits of a lane: the block's R G B A sums
  hi = _mm256_add_epi16(hi, _mm256_srli_si256(hi, 8));
  // Both halves of a lane hold the block's sums: the first meets the U row, the second the V row.
  lo = _mm256_madd_epi16(_mm256_shuffle_epi32(lo, 0x44), coeffs);
  hi = _mm256_madd_epi16(_mm256_shuffle_epi32(hi, 0x44), coeffs);
  return _mm256_srai_epi32(_mm256_add_epi32(_mm256_hadd_epi32(lo, hi), offset), 18);
}

}  // namespace

__attribute__((target("avx2"))) int ConvertBlockRowAvx2(const BlockRow& row, int width, Yuv420Layout layout, const YuvCoefficients& k) {
  const int done = width & ~15;
  const bool splitGreen = k.yg > 32767;
  const int16_t ygRest = static_cast<int16_t>(splitGreen ? k.yg - 32768 : k.yg);
  const __m256i lumaCoeffs = _mm256_setr_epi16(static_cast<int16_t>(k.yr), ygRest, static_cast<int16_t>(k.yb), 0, static_cast<int16_t>(k.yr), ygRest,
                                               static_cast<int16_t>(k.yb), 0, static_cast<int16_t>(k.yr), ygRest, static_cast<int16_t>(k.yb), 0,
                                               static_cast<int16_t>(k.yr), ygRest, static_cast<int16_t>(k.yb), 0);
  const __m256i greenShifted = _mm256_set1_epi32(splitGreen ? -1 : 0);
  const __m256i lumaOffset = _mm256_set1_epi32((16 << 16) + (1 << 15));
  const __m256i chromaCoeffs = _mm256_setr_epi16(static_cast<int16_t>(k.ur), static_cast<int16_t>(k.ug), static_cast<int16_t>(k.ub), 0,
                                                 static_cast<int16_t>(k.vr), static_cast<int16_t>(k.vg), static_cast<int16_t>(k.vb), 0,
                                                 static_cast<int16_t>(k.ur), static_cast<int16_t>(k.ug), static_cast<int16_t>(k.ub), 0,
                                                 static_cast<int16_t>(k.vr), static_cast<int16_t>(k.vg), static_cast<int16_t>(k.vb), 0);
  const __m256i chromaOffset = _mm256_set1_epi32((128 << 18) + (1 << 17));
  // I420: gather the U bytes then the V bytes of 8 interleaved pairs.
  const __m128i splitUv = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
  for (int x = 0; x < done; x += 16) {
    const __m256i t0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.top + 4 * x));
    const __m256i t1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.top + 4 * x + 32));
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.bottom + 4 * x));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.bottom + 4 * x + 32));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(row.yTop + x),
                     PackLuma16(Luma8(t0, lumaCoeffs, greenShifted, lumaOffset), Luma8(t1, lumaCoeffs, greenShifted, lumaOffset)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(row.yBottom + x),
                     PackLuma16(Luma8(b0, lumaCoeffs, greenShifted, lumaOffset), Luma8(b1, lumaCoeffs, greenShifted, lumaOffset)));
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
