// Exact, width-independent double arithmetic for credit scoring: packets of 2, 4 or 8 lanes and a
// log1p written in plain IEEE operations.
//
// Contract: every function here computes each lane with the same sequence of correctly rounded
// IEEE-754 operations (+ - * /, comparisons, bit operations), whatever the packet width and whatever
// instruction set the caller is compiled for. So a 2-lane packet in Explain, a 4-lane AVX2 loop and an
// 8-lane AVX-512 loop in ScoreAll give the same bits, on every x86-64 machine, provided the including
// file is built with -ffp-contract=off (no fused multiply-add) and without -ffast-math. The library's
// CMakeLists sets that; the unit tests compare every path bit for bit.
//
// Log1p is musl's (fdlibm's) algorithm with its branches turned into lane selects. It does not call
// libm, so the result does not depend on the C library's version either. Accuracy against glibc's
// log1p is tested in tests/unit/credit/vector_math_test.cpp and stated in docs/credit.md.
//
// Packets are GCC vector extensions. The definitions live in credit/vector_math.inc, which this header
// includes once into suiji::credit::simd (the file's own instruction set: SSE2 on x86-64, for Explain
// and tests) and credit/score_kernel.cpp includes again inside `#pragma GCC target("avx2")` and
// ("avx512f") regions: GCC lowers wide generic vectors in the context where a function is *defined*,
// so a template defined for SSE2 and inlined into an AVX2 function still builds its vectors piecewise.
// Wide packets in a file not compiled for them need -Wno-psabi (an ABI note for calls never made).
#pragma once
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#define SUIJI_SIMD_INLINE [[gnu::always_inline]] inline

namespace suiji::credit::simd {

#include "credit/vector_math.inc"  // IWYU pragma: export

// One scalar through a 2-lane packet (the SSE2 width every x86-64 has): for Explain and tests.
SUIJI_SIMD_INLINE double SymmetricLog1p(double x) {
  return SymmetricLog1p<2>(Splat<2>(x))[0];
}

}  // namespace suiji::credit::simd
