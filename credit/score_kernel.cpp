#include "credit/score_kernel.h"

#include <algorithm>

namespace suiji::credit::kernel {
namespace {

using rules::Transform;
using simd::Dv;
using simd::Iv;

// Adds one column's contribution over rows [0, len) of a block to acc. Returns false when a value is
// missing and the column has no imputation (acc is then meaningless: the caller reports an error).
template <int N, Transform T, bool kMinMax, bool kImpute>
SUIJI_SIMD_INLINE bool AddColumn(const Column& c, const double* __restrict x, const std::uint8_t* __restrict mk,
                                 Eigen::Index len, double* __restrict acc) {
  const Dv<N> impute = simd::Splat<N>(c.impute);
  Iv<N> any{};
  auto step = [&](const double* xp, const std::uint8_t* mp, double* ap) __attribute__((always_inline)) {
    Dv<N> used = simd::Load<N>(xp);
    const Iv<N> m = simd::LoadByteMask<N>(mp);
    if constexpr (kImpute) used = simd::Select<N>(m, impute, used);
    else any |= m;
    simd::Store<N>(ap, simd::Load<N>(ap) + Evaluate<N, T, kMinMax>(c, used).contribution);
  };
  Eigen::Index i = 0;
  for (; i + N <= len; i += N) step(x + i, mk + i, acc + i);
  if (i < len) {  // the tail through a zero-padded packet; only the real lanes are written back
    alignas(64) double xt[N] = {}, at[N] = {};
    alignas(8) std::uint8_t mt[N] = {};
    const Eigen::Index r = len - i;
    std::copy(x + i, x + len, xt);
    std::copy(mk + i, mk + len, mt);
    std::copy(acc + i, acc + len, at);
    step(xt, mt, at);
    std::copy(at, at + r, acc + i);
  }
  return !simd::AnyTrue<N>(any);
}

template <int N, Transform T, bool kMinMax>
SUIJI_SIMD_INLINE bool AddColumnI(const Column& c, const double* x, const std::uint8_t* mk, Eigen::Index len,
                                  double* acc) {
  return c.has_impute ? AddColumn<N, T, kMinMax, true>(c, x, mk, len, acc)
                      : AddColumn<N, T, kMinMax, false>(c, x, mk, len, acc);
}

template <int N, Transform T>
SUIJI_SIMD_INLINE bool AddColumnN(const Column& c, const double* x, const std::uint8_t* mk, Eigen::Index len,
                                  double* acc) {
  return c.minmax ? AddColumnI<N, T, true>(c, x, mk, len, acc) : AddColumnI<N, T, false>(c, x, mk, len, acc);
}

template <int N>
SUIJI_SIMD_INLINE bool AddAnyColumn(const Column& c, const double* x, const std::uint8_t* mk, Eigen::Index len,
                                    double* acc) {
  switch (c.transform) {
    case Transform::kIdentity: return AddColumnN<N, Transform::kIdentity>(c, x, mk, len, acc);
    case Transform::kLog1p: return AddColumnN<N, Transform::kLog1p>(c, x, mk, len, acc);
    case Transform::kCap: return AddColumnN<N, Transform::kCap>(c, x, mk, len, acc);
    case Transform::kIndicator: return AddColumnN<N, Transform::kIndicator>(c, x, mk, len, acc);
    case Transform::kYears: return AddColumnN<N, Transform::kYears>(c, x, mk, len, acc);
  }
  return false;
}

// Classes by the model's bounds (b <= s -> at least B, ...), counts, and whether every score is finite.
SUIJI_SIMD_INLINE bool Classify(const double* __restrict sc, Eigen::Index len, const std::array<double, 3>& bounds,
                                rules::RiskClass* __restrict cl, std::array<std::int64_t, 4>& counts) {
  const double b = bounds[0], c = bounds[1], d = bounds[2];
  std::uint8_t finite = 1;
  std::int64_t n1 = 0, n2 = 0, n3 = 0;
  auto* out = reinterpret_cast<std::uint8_t*>(cl);
#pragma omp simd reduction(& : finite) reduction(+ : n1, n2, n3)
  for (Eigen::Index i = 0; i < len; ++i) {
    const double s = sc[i];
    finite &= static_cast<std::uint8_t>(s - s == 0.0);  // false for NaN and infinities
    const auto k = static_cast<std::uint8_t>((s >= b) + (s >= c) + (s >= d));
    out[i] = k;
    n1 += k == 1;
    n2 += k == 2;
    n3 += k == 3;
  }
  counts[0] += len - n1 - n2 - n3;
  counts[1] += n1;
  counts[2] += n2;
  counts[3] += n3;
  return finite != 0;
}

template <int N>
SUIJI_SIMD_INLINE RangeOutcome ScoreRangeT(const std::vector<Column>& columns, const MatrixView& m, Eigen::Index from,
                                           Eigen::Index to, const std::array<double, 3>& bounds, double* scores,
                                           rules::RiskClass* classes) {
  static_assert(sizeof(rules::RiskClass) == 1);
  RangeOutcome out;
  for (Eigen::Index b = from; b < to; b += kBlockRows) {
    const Eigen::Index len = std::min(kBlockRows, to - b);
    double* acc = scores + b;
    std::fill(acc, acc + len, 0.0);
    for (std::size_t j = 0; j < columns.size(); ++j) {
      const Column& c = columns[j];
      const Eigen::Index at = c.col * m.rows + b;
      if (!AddAnyColumn<N>(c, m.values + at, m.missing + at, len, acc)) {
        out.kind = RangeOutcome::kMissing;
        out.column = j;
        out.row = b;
        while (!m.missing[at + (out.row - b)]) ++out.row;
        return out;
      }
    }
    if (!Classify(acc, len, bounds, classes + b, out.counts)) {
      out.kind = RangeOutcome::kNotFinite;
      out.row = b;
      while (scores[out.row] - scores[out.row] == 0.0) ++out.row;
      return out;
    }
  }
  return out;
}

#define SUIJI_RANGE_ARGS                                                                                  \
  const std::vector<Column>&columns, const MatrixView &m, Eigen::Index from, Eigen::Index to,           \
      const std::array<double, 3>&bounds, double *scores, rules::RiskClass *classes
#define SUIJI_RANGE_CALL columns, m, from, to, bounds, scores, classes

RangeOutcome ScoreRangeSse2(SUIJI_RANGE_ARGS) { return ScoreRangeT<2>(SUIJI_RANGE_CALL); }
[[gnu::target("avx2")]] RangeOutcome ScoreRangeAvx2(SUIJI_RANGE_ARGS) { return ScoreRangeT<4>(SUIJI_RANGE_CALL); }
[[gnu::target("avx512f")]] RangeOutcome ScoreRangeAvx512(SUIJI_RANGE_ARGS) {
  return ScoreRangeT<8>(SUIJI_RANGE_CALL);
}

template <Transform T>
ScalarSteps One(const Column& c, double used) {
  const auto u = simd::Splat<2>(used);
  const Steps<2> s = c.minmax ? Evaluate<2, T, true>(c, u) : Evaluate<2, T, false>(c, u);
  return {s.transformed[0], s.normalised[0], s.contribution[0]};
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
  return c;
}

ScalarSteps EvaluateOne(const Column& c, double used) {
  switch (c.transform) {
    case Transform::kIdentity: return One<Transform::kIdentity>(c, used);
    case Transform::kLog1p: return One<Transform::kLog1p>(c, used);
    case Transform::kCap: return One<Transform::kCap>(c, used);
    case Transform::kIndicator: return One<Transform::kIndicator>(c, used);
    case Transform::kYears: return One<Transform::kYears>(c, used);
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
    case VectorPath::kAvx512: return &ScoreRangeAvx512;
    case VectorPath::kAvx2: return &ScoreRangeAvx2;
    case VectorPath::kAuto:
    case VectorPath::kSse2: break;
  }
  return &ScoreRangeSse2;
}

}  // namespace suiji::credit::kernel
