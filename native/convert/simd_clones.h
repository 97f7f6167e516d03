// GEYSER_SIMD_CLONES: on x86-64 Linux GCC builds, a function carries an AVX2 clone picked at load
// time (ifunc) beside its baseline one; elsewhere the compiler's baseline vectorization applies.
// The kernels' loops are written branch-free so both clones vectorize.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define GEYSER_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GEYSER_SIMD_CLONES
#endif
