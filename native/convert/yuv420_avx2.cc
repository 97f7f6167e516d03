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

// 8 RGBA pixels split in place, with no shuffles: masking a pixel's 32 bits leaves R and B as two
// 16-bit halves, and G and A after a shift, ready for pmaddwd. Luma and chroma share the split.
struct Split8 {
  __m256i redBlue;
  __m256i greenAlpha;
};

__attribute__((target("avx2"))) inline Split8 SplitPixels(__m256i rgba) {
  const __m256i lowBytes = _mm256_set1_epi32(0x00ff00ff);
  return Split8{_mm256_and_si256(rgba, lowBytes), _mm256_and_si256(_mm256_srli_epi32(rgba, 8), lowBytes)};
}

struct LumaCoefficients {
  __m256i redBlue;       // yr | yb
  __m256i greenRest;     // yg, less 32768 when yg exceeds int16
  __m256i greenShifted;  // mask keeping G << 15 (32768 G) when yg was split, else 0
  __m256i offset;
};

// Luma of 8 pixels as 8 int32, pixel order.
__attribute__((target("avx2"))) inline __m256i Luma8(const Split8& p, const LumaCoefficients& k) {
  __m256i sum = _mm256_add_epi32(_mm256_madd_epi16(p.redBlue, k.redBlue), _mm256_madd_epi16(p.greenAlpha, k.greenRest));
  sum = _mm256_add_epi32(sum, _mm256_and_si256(_mm256_slli_epi32(p.greenAlpha, 15), k.greenShifted));
  return _mm256_srai_epi32(_mm256_add_epi32(sum, k.offset), 16);
}

// Bytes of four 8-value int32 vectors a, b (one row) and c, d (the next): the low 16 bytes are
// a then b, the high 16 bytes c then d. One permute restores pixel order after the in-lane packs.
__attribute__((target("avx2"))) inline __m256i PackRows(__m256i a, __m256i b, __m256i c, __m256i d) {
  const __m256i bytes = _mm256_packus_epi16(_mm256_packs_epi32(a, b), _mm256_packs_epi32(c, d));
  return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

// U and V of the 4 blocks under 8 pixels of each row, as int32 U0 V0 U1 V1 | U2 V2 U3 V3: vertical
// sums per 16-bit half, then each pixel pair summed into its even lane; no shuffles.
__attribute__((target("avx2"))) inline __m256i Chroma4(const Split8& top, const Split8& bottom, const __m256i coeffs[4], __m256i offset) {
  __m256i rb = _mm256_add_epi16(top.redBlue, bottom.redBlue);
  __m256i ga = _mm256_add_epi16(top.greenAlpha, bottom.greenAlpha);
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
  const LumaCoefficients luma{_mm256_set1_epi32(PairOf(k.yr, k.yb)), _mm256_set1_epi32(PairOf(ygRest, 0)),
                              _mm256_set1_epi32(splitGreen ? 0xff << 15 : 0), _mm256_set1_epi32((16 << 16) + (1 << 15))};
  const __m256i chromaCoeffs[4] = {_mm256_set1_epi32(PairOf(k.ur, k.ub)), _mm256_set1_epi32(PairOf(k.ug, 0)), _mm256_set1_epi32(PairOf(k.vr, k.vb)), _mm256_set1_epi32(PairOf(k.vg, 0))};
  const __m256i chromaOffset = _mm256_set1_epi32((128 << 18) + (1 << 17));
  // I420: gather the U bytes then the V bytes of 8 interleaved pairs.
  const __m128i splitUv = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
  for (int x = 0; x < done; x += 16) {
    const Split8 t0 = SplitPixels(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.top + 4 * x)));
    const Split8 t1 = SplitPixels(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.top + 4 * x + 32)));
    const Split8 b0 = SplitPixels(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.bottom + 4 * x)));
    const Split8 b1 = SplitPixels(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(row.bottom + 4 * x + 32)));
    const __m256i lumaBytes = PackRows(Luma8(t0, luma), Luma8(t1, luma), Luma8(b0, luma), Luma8(b1, luma));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(row.yTop + x), _mm256_castsi256_si128(lumaBytes));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(row.yBottom + x), _mm256_extracti128_si256(lumaBytes, 1));
    // 8 blocks: U0 V0 .. U7 V7 as 16 bytes (the pack's upper half is unused).
    const __m256i chroma0 = Chroma4(t0, b0, chromaCoeffs, chromaOffset);
    const __m128i uv = _mm256_castsi256_si128(PackRows(chroma0, Chroma4(t1, b1, chromaCoeffs, chromaOffset), chroma0, chroma0));
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
