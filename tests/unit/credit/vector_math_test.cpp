// credit/vector_math.h: the branch-free log1p against glibc's, and packet widths against each other.
#include "credit/vector_math.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

namespace suiji::credit::simd {
namespace {

// Distance in units in the last place between two finite doubles of the same sign.
std::int64_t UlpDistance(double a, double b) {
  if (a == b) return 0;
  if (std::signbit(a) != std::signbit(b)) return std::numeric_limits<std::int64_t>::max();
  const auto ia = std::bit_cast<std::int64_t>(std::fabs(a)), ib = std::bit_cast<std::int64_t>(std::fabs(b));
  return ia > ib ? ia - ib : ib - ia;
}

std::vector<double> Inputs() {
  std::vector<double> xs = {0.0,
                            std::numeric_limits<double>::denorm_min(),
                            DBL_MIN,
                            0x1p-54,
                            std::nextafter(0x1p-53, 0.0),
                            0x1p-53,
                            std::nextafter(0x1p-53, 1.0),
                            std::bit_cast<double>(0x3fda827a00000000ull),
                            std::nextafter(std::bit_cast<double>(0x3fda827a00000000ull), 0.0),
                            std::sqrt(2.0) - 1,
                            0.5,
                            1.0,
                            2.0,
                            std::exp(1.0) - 1,
                            0x1p52,
                            0x1p53,
                            0x1p54,
                            1e300,
                            DBL_MAX};
  for (int i = 0; i <= 1'000'000; ++i) xs.push_back(i);                // counts and yuan
  for (int e = -1074; e <= 1023; ++e) xs.push_back(std::ldexp(1.0, e));  // every power of two
  std::mt19937_64 rng(20240630);
  std::uniform_real_distribution<double> unit(0, 1), small(0, 10);
  std::uniform_int_distribution<int> exponent(-1074, 1023);
  for (int i = 0; i < 1'000'000; ++i) xs.push_back(small(rng));
  for (int i = 0; i < 2'000'000; ++i) xs.push_back(std::ldexp(1 + unit(rng), exponent(rng)));  // whole range
  for (int i = 0; i < 1'000'000; ++i) xs.push_back(std::ldexp(1 + unit(rng), -60 + static_cast<int>(rng() % 120)));
  return xs;
}

// Error in ulps of `got` against log1pl (x87 extended precision: 11 more bits than double).
double UlpError(double got, long double ref) {
  const double ulp = std::nextafter(std::fabs(got), INFINITY) - std::fabs(got);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - ref) / ulp);
}

TEST(VectorMath, Log1pWithinOneUlpOfGlibcOverTheWholeRange) {
  std::int64_t worst = 0, differ = 0;
  double worst_x = 0, err_ours = 0, err_glibc = 0;
  const auto xs = Inputs();
  for (double x : xs) {
    for (double v : {x, -x}) {  // the transform is symmetric: -log1p(|x|) below zero
      const double ref = v < 0 ? -std::log1p(-v) : std::log1p(v);
      const double got = SymmetricLog1p(v);
      ASSERT_TRUE(std::isfinite(got)) << v;
      const std::int64_t d = UlpDistance(got, ref);
      differ += d != 0;
      if (d > worst) worst = d, worst_x = v;
      if (v > 0 && got != 0) {
        const long double exact = log1pl(static_cast<long double>(v));
        err_ours = std::max(err_ours, UlpError(got, exact));
        err_glibc = std::max(err_glibc, UlpError(ref, exact));
      }
    }
  }
  std::printf("log1p vs glibc: %zu inputs, max %lld ulp apart (at %a), %lld differ; max error against log1pl: "
              "ours %.3f ulp, glibc %.3f ulp\n",
              2 * xs.size(), static_cast<long long>(worst), worst_x, static_cast<long long>(differ), err_ours,
              err_glibc);
  EXPECT_LE(worst, 1) << "at " << worst_x;
  EXPECT_LT(err_ours, 1.0);
}

TEST(VectorMath, Log1pSpecialValues) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(SymmetricLog1p(inf), inf);
  EXPECT_EQ(SymmetricLog1p(-inf), -inf);
  EXPECT_TRUE(std::isnan(SymmetricLog1p(std::nan(""))));
  EXPECT_TRUE(std::isnan(SymmetricLog1p(-std::nan(""))));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(SymmetricLog1p(0.0)), 0u);
  EXPECT_EQ(std::bit_cast<std::uint64_t>(SymmetricLog1p(-0.0)), std::bit_cast<std::uint64_t>(-0.0));
  EXPECT_EQ(SymmetricLog1p(std::numeric_limits<double>::denorm_min()), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(SymmetricLog1p(-3.0), -SymmetricLog1p(3.0));
  EXPECT_NEAR(SymmetricLog1p(std::exp(1.0) - 1), 1.0, 1e-15);
  EXPECT_NEAR(SymmetricLog1p(DBL_MAX), 709.782712893384, 1e-12);
}

// The same inputs through 2-, 4- and 8-lane packets give the same bits in every lane.
TEST(VectorMath, PacketWidthsAgreeBitForBit) {
  const auto xs = Inputs();
  for (std::size_t i = 0; i + 8 <= xs.size(); i += 8 * 97) {
    double in[8];
    for (int j = 0; j < 8; ++j) in[j] = (j % 3 == 1 ? -1 : 1) * xs[i + static_cast<std::size_t>(j)];
    const Dv<8> r8 = SymmetricLog1p<8>(Load<8>(in));
    for (int j = 0; j < 8; j += 4) {
      const Dv<4> r4 = SymmetricLog1p<4>(Load<4>(in + j));
      for (int l = 0; l < 4; ++l)
        ASSERT_EQ(std::bit_cast<std::uint64_t>(r4[l]), std::bit_cast<std::uint64_t>(r8[j + l])) << in[j + l];
    }
    for (int j = 0; j < 8; ++j)
      ASSERT_EQ(std::bit_cast<std::uint64_t>(SymmetricLog1p(in[j])), std::bit_cast<std::uint64_t>(r8[j])) << in[j];
  }
}

TEST(VectorMath, ByteMasksAndSmallIntegers) {
  const std::uint8_t bytes[8] = {0, 1, 0, 255, 7, 0, 0, 1};
  const Iv<8> m = LoadByteMask<8>(bytes);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(m[i], bytes[i] ? -1 : 0) << i;
  EXPECT_TRUE(AnyTrue<8>(m));
  EXPECT_FALSE(AnyTrue<2>(LoadByteMask<2>(bytes + 5)));
  const Iv<4> k = {0, 1, 1024, (std::int64_t{1} << 52) - 1};
  const Dv<4> d = SmallIntToDouble<4>(k);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(d[i], static_cast<double>(k[i]));
}

}  // namespace
}  // namespace suiji::credit::simd
