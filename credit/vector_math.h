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
// Packets are GCC vector extensions. Functions are always_inline so that a caller compiled for a
// wider instruction set (function attribute target("avx2")) gets them in its own instruction set;
// wide packets in a file not compiled for them need -Wno-psabi (only an ABI note for calls that
// never happen: everything is inlined).
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace suiji::credit::simd {

template <int N>
struct Lanes;

#define SUIJI_CREDIT_LANES(N)                                                      \
  template <>                                                                      \
  struct Lanes<N> {                                                                \
    typedef double D __attribute__((vector_size(8 * (N))));                        \
    typedef std::int64_t I __attribute__((vector_size(8 * (N))));                  \
    typedef std::uint8_t Bytes __attribute__((vector_size(N)));                    \
  };
SUIJI_CREDIT_LANES(2)
SUIJI_CREDIT_LANES(4)
SUIJI_CREDIT_LANES(8)
#undef SUIJI_CREDIT_LANES

#define SUIJI_SIMD_INLINE [[gnu::always_inline]] inline

template <int N>
using Dv = typename Lanes<N>::D;
template <int N>
using Iv = typename Lanes<N>::I;

template <int N>
SUIJI_SIMD_INLINE Dv<N> Splat(double v) {  // not Dv<N>{} + v: that turns -0.0 into +0.0
  Dv<N> p;
  for (int i = 0; i < N; ++i) p[i] = v;
  return p;
}
template <int N>
SUIJI_SIMD_INLINE Iv<N> SplatI(std::int64_t v) {
  return Iv<N>{} + v;
}
template <int N>
SUIJI_SIMD_INLINE Iv<N> Bits(Dv<N> x) {
  return reinterpret_cast<Iv<N>>(x);
}
template <int N>
SUIJI_SIMD_INLINE Dv<N> FromBits(Iv<N> x) {
  return reinterpret_cast<Dv<N>>(x);
}
// mask lanes are all ones (true) or all zeros (false), as comparisons give them.
template <int N>
SUIJI_SIMD_INLINE Dv<N> Select(Iv<N> mask, Dv<N> yes, Dv<N> no) {
  return mask ? yes : no;
}
template <int N>
SUIJI_SIMD_INLINE Dv<N> Load(const double* p) {
  Dv<N> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <int N>
SUIJI_SIMD_INLINE void Store(double* p, Dv<N> v) {
  std::memcpy(p, &v, sizeof v);
}
// N bytes (0 = false, anything else = true) as a lane mask. One integer load, broadcast and shifted
// per lane: vector shifts exist on every instruction set, a byte-to-quadword widening does not.
template <int N>
SUIJI_SIMD_INLINE Iv<N> LoadByteMask(const std::uint8_t* p) {
  using Word = std::conditional_t<N == 8, std::uint64_t, std::conditional_t<N == 4, std::uint32_t, std::uint16_t>>;
  Word w;
  std::memcpy(&w, p, sizeof w);
  Iv<N> shifts;
  for (int i = 0; i < N; ++i) shifts[i] = 8 * i;
  return ((SplatI<N>(static_cast<std::int64_t>(w)) >> shifts) & 0xff) != 0;
}
template <int N>
SUIJI_SIMD_INLINE bool AnyTrue(Iv<N> mask) {
  std::int64_t any = 0;
  for (int i = 0; i < N; ++i) any |= mask[i];
  return any != 0;
}

// Integers 0 <= k < 2^52 to double, exactly, with bit operations (AVX2 has no int64 -> double).
template <int N>
SUIJI_SIMD_INLINE Dv<N> SmallIntToDouble(Iv<N> k) {
  return FromBits<N>(k | 0x4330000000000000) - Splat<N>(0x1p52);
}

// log(1 + x) for x >= +0, NaN or +inf (musl/fdlibm log1p, branch-free). Lanes: x < 2^-53 -> x;
// x < sqrt(2) - 1 -> f = x, no reduction; otherwise 1 + x = 2^k * (1 + f) with 1 + f in
// [sqrt(2)/2, sqrt(2)) plus a correction c for the rounding of 1 + x; +inf and NaN -> x.
template <int N>
SUIJI_SIMD_INLINE Dv<N> Log1pNonNegative(Dv<N> x) {
  using D = Dv<N>;
  using I = Iv<N>;
  const D one = Splat<N>(1.0);
  const I tiny = x < Splat<N>(0x1p-53);
  const I small = x < FromBits<N>(SplatI<N>(0x3fda827a00000000));  // sqrt(2) - 1, rounded down
  const I special = ~(x < Splat<N>(__builtin_inf()));               // +inf or NaN

  const D u = one + x;
  const I hu = Bits<N>(u) + (static_cast<std::int64_t>(0x3ff00000 - 0x3fe6a09e) << 32);
  const I k = (hu >> 52) - 0x3ff;  // 0..1024 (u >= 1)
  const D dk0 = SmallIntToDouble<N>(k);
  D c = Select<N>(dk0 >= Splat<N>(2.0), one - (u - x), x - (u - one)) / u;
  c = Select<N>(dk0 < Splat<N>(54.0), c, Splat<N>(0.0));
  D f = FromBits<N>((hu & 0x000fffffffffffff) + 0x3fe6a09e00000000) - one;

  f = Select<N>(small, x, f);
  c = Select<N>(small, Splat<N>(0.0), c);
  const D dk = Select<N>(small, Splat<N>(0.0), dk0);

  const D hfsq = Splat<N>(0.5) * f * f;
  const D s = f / (Splat<N>(2.0) + f);
  const D z = s * s;
  const D w = z * z;
  const D t1 = w * (Splat<N>(3.999999999940941908e-01) +
                    w * (Splat<N>(2.222219843214978396e-01) + w * Splat<N>(1.531383769920937332e-01)));
  const D t2 = z * (Splat<N>(6.666666666666735130e-01) +
                    w * (Splat<N>(2.857142874366239149e-01) +
                         w * (Splat<N>(1.818357216161805012e-01) + w * Splat<N>(1.479819860511658591e-01))));
  const D r = t2 + t1;
  const D ln2_hi = Splat<N>(6.93147180369123816490e-01), ln2_lo = Splat<N>(1.90821492927058770002e-10);
  const D y = s * (hfsq + r) + (dk * ln2_lo + c) - hfsq + f + dk * ln2_hi;
  return Select<N>(tiny | special, x, y);
}

// sign(x) * log(1 + |x|): the credit model's log1p transform (symmetric, so that a negative amount
// is as far below zero as the positive one above). -0 stays -0; NaN and +-inf pass through.
template <int N>
SUIJI_SIMD_INLINE Dv<N> SymmetricLog1p(Dv<N> x) {
  constexpr std::int64_t kSign = static_cast<std::int64_t>(0x8000000000000000ull);
  const Iv<N> bits = Bits<N>(x);
  const Dv<N> r = Log1pNonNegative<N>(FromBits<N>(bits & ~kSign));
  return FromBits<N>(Bits<N>(r) | (bits & kSign));
}

// One scalar through a 2-lane packet (the SSE2 width every x86-64 has): for Explain and tests.
SUIJI_SIMD_INLINE double SymmetricLog1p(double x) {
  return SymmetricLog1p<2>(Splat<2>(x))[0];
}

}  // namespace suiji::credit::simd
