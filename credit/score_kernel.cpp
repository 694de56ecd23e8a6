#include "credit/score_kernel.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "credit/vector_math.h"

// One kernel source, three instruction sets. Each namespace gets its own copy of the packet math and
// of the kernel templates, defined under its own target so that GCC lowers the packets for it.
namespace suiji::credit::kernel {

#define SUIJI_RANGE_ARGS                                                                                  \
  const std::vector<Column>&columns, const MatrixView &m, Eigen::Index from, Eigen::Index to,           \
      const std::array<double, 3>&bounds, double *scores, rules::RiskClass *classes
#define SUIJI_RANGE_CALL columns, m, from, to, bounds, scores, classes

namespace sse2 {
namespace simd = ::suiji::credit::simd;  // the header's copy: this file's own target
#include "credit/score_kernel.inc"
RangeOutcome ScoreRange(SUIJI_RANGE_ARGS) { return ScoreRangeT<2>(SUIJI_RANGE_CALL); }
}  // namespace sse2

#pragma GCC push_options
#pragma GCC target("avx2")
namespace avx2 {
namespace simd {
#include "credit/vector_math.inc"
}  // namespace simd
#include "credit/score_kernel.inc"
RangeOutcome ScoreRange(SUIJI_RANGE_ARGS) { return ScoreRangeT<4>(SUIJI_RANGE_CALL); }
}  // namespace avx2
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f")
namespace avx512 {
namespace simd {
#include "credit/vector_math.inc"
}  // namespace simd
#include "credit/score_kernel.inc"
RangeOutcome ScoreRange(SUIJI_RANGE_ARGS) { return ScoreRangeT<8>(SUIJI_RANGE_CALL); }
}  // namespace avx512
#pragma GCC pop_options

namespace {

template <rules::Transform T, bool kMinMax>
ScalarSteps OneA(const Column& c, double used) {
  const auto u = simd::Splat<2>(used);
  sse2::Steps<2> s;
  switch (c.affine) {
    case Affine::kFull: s = sse2::Evaluate<2, T, kMinMax, Affine::kFull>(c, u); break;
    case Affine::kScaleOnly: s = sse2::Evaluate<2, T, kMinMax, Affine::kScaleOnly>(c, u); break;
    case Affine::kNone: s = sse2::Evaluate<2, T, kMinMax, Affine::kNone>(c, u); break;
  }
  return {s.transformed[0], s.normalised[0], s.contribution[0]};
}

template <rules::Transform T>
ScalarSteps One(const Column& c, double used) {
  return c.minmax ? OneA<T, true>(c, used) : OneA<T, false>(c, used);
}

}  // namespace

Column MakeColumn(const rules::IndicatorSpec& s, Eigen::Index col) {
  Column c;
  c.spec = &s;
  c.col = col;
  c.transform = s.transform;
  c.minmax = s.normalise == rules::Normalise::kMinMax;
  c.has_impute = s.impute.has_value();
  c.impute = s.impute.value_or(0);
  c.cap = s.cap;
  c.threshold = s.threshold;
  c.weight = s.weight;
  if (c.minmax) {
    c.lo = s.min;
    c.inv = 1.0 / (s.max - s.min);
  } else {
    c.lo = s.center;
    c.inv = 1.0 / s.scale;
  }
  if (std::bit_cast<std::uint64_t>(c.lo) == 0) c.affine = c.inv == 1.0 ? Affine::kNone : Affine::kScaleOnly;
  if (c.transform == rules::Transform::kIndicator) {
    // Transformed is exactly 1.0 or 0.0: run those through the identity transform and the same steps.
    Column as_identity = c;
    as_identity.transform = rules::Transform::kIdentity;
    c.contribution_on = EvaluateOne(as_identity, 1.0).contribution;
    c.contribution_off = EvaluateOne(as_identity, 0.0).contribution;
  }
  return c;
}

ScalarSteps EvaluateOne(const Column& c, double used) {
  switch (c.transform) {
    case rules::Transform::kIdentity: return One<rules::Transform::kIdentity>(c, used);
    case rules::Transform::kLog1p: return One<rules::Transform::kLog1p>(c, used);
    case rules::Transform::kCap: return One<rules::Transform::kCap>(c, used);
    case rules::Transform::kIndicator: return One<rules::Transform::kIndicator>(c, used);
    case rules::Transform::kYears: return One<rules::Transform::kYears>(c, used);
  }
  return {};
}

bool Supported(VectorPath path) {
  switch (path) {
    case VectorPath::kAuto:
    case VectorPath::kSse2: return true;
    case VectorPath::kAvx2: return __builtin_cpu_supports("avx2");
    case VectorPath::kAvx512: return __builtin_cpu_supports("avx512f");
  }
  return false;
}

VectorPath Resolve(VectorPath requested) {
  if (requested != VectorPath::kAuto) return requested;
  if (Supported(VectorPath::kAvx512)) return VectorPath::kAvx512;
  if (Supported(VectorPath::kAvx2)) return VectorPath::kAvx2;
  return VectorPath::kSse2;
}

RangeFn RangeFunction(VectorPath path) {
  switch (path) {
    case VectorPath::kAvx512: return &avx512::ScoreRange;
    case VectorPath::kAvx2: return &avx2::ScoreRange;
    case VectorPath::kAuto:
    case VectorPath::kSse2: break;
  }
  return &sse2::ScoreRange;
}

}  // namespace suiji::credit::kernel
