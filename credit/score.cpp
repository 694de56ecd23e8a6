#include "credit/score.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>

namespace suiji::credit {
namespace {

using rules::Normalise;
using rules::Transform;

// One model indicator bound to one matrix column, with its constants prepared once.
struct Plan {
  const rules::IndicatorSpec* spec;
  Eigen::Index col;
  double lo, inv;  // z = (t - lo) * inv
  bool has_impute;
  double impute;
};

// The element functions. Batch and Explain both call these, so they compute the same doubles.
template <Transform T>
inline double Transformed(const rules::IndicatorSpec& s, double x) {
  if constexpr (T == Transform::kIdentity) return x;
  if constexpr (T == Transform::kLog1p) {  // symmetric: -log1p(-x) below zero; 0 (most counts) skips the call
    if (x == 0) return x;
    return x < 0 ? -std::log1p(-x) : std::log1p(x);
  }
  if constexpr (T == Transform::kCap) return x < s.cap ? x : s.cap;
  if constexpr (T == Transform::kIndicator) return x > s.threshold ? 1.0 : 0.0;
  if constexpr (T == Transform::kYears) return x / 365.25;
}

// z < 0 -> 0, z > 1 -> 1, else z; written as bit selects so that the batch loop vectorises.
inline double Clamp01(double z) {
  const std::uint64_t below = 0 - static_cast<std::uint64_t>(z < 0.0);
  const std::uint64_t above = 0 - static_cast<std::uint64_t>(z > 1.0);
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(z) & ~below;  // +0.0 is all zero bits
  return std::bit_cast<double>((bits & ~above) | (std::bit_cast<std::uint64_t>(1.0) & above));
}

template <bool kMinMax>
inline double Normalised(const Plan& p, double t) {
  double z = (t - p.lo) * p.inv;
  if constexpr (kMinMax) z = Clamp01(z);
  return z;
}

// Adds column `p` of rows [0, len) to acc; returns false when a missing value has no imputation.
// Three simple loops over an L1-resident buffer (select, transform, normalise and add) so that each
// one vectorises; they compute exactly the composition Explain computes element by element.
constexpr Eigen::Index kBlock = 2048;

template <Transform T, bool kMinMax>
bool AccumulateT(const Plan& p, const double* __restrict x, const std::uint8_t* __restrict mk, Eigen::Index len,
                 double* __restrict acc) {
  const rules::IndicatorSpec& s = *p.spec;
  alignas(64) double v[kBlock];
  bool ok = true;
  if (p.has_impute) {
    const double imp = p.impute;
    const auto imp_bits = std::bit_cast<std::uint64_t>(imp);
#pragma omp simd
    for (Eigen::Index i = 0; i < len; ++i) {  // a bitwise select: exact, and it vectorises
      const std::uint64_t m = 0 - static_cast<std::uint64_t>(mk[i] != 0);
      v[i] = std::bit_cast<double>((std::bit_cast<std::uint64_t>(x[i]) & ~m) | (imp_bits & m));
    }
  } else {
    std::uint8_t any = 0;
    for (Eigen::Index i = 0; i < len; ++i) any |= mk[i];
    ok = any == 0;
    std::copy(x, x + len, v);
  }
  if constexpr (T == Transform::kLog1p) {
    for (Eigen::Index i = 0; i < len; ++i) v[i] = Transformed<T>(s, v[i]);
  } else {
#pragma omp simd
    for (Eigen::Index i = 0; i < len; ++i) v[i] = Transformed<T>(s, v[i]);
  }
  const double lo = p.lo, inv = p.inv, w = s.weight;
#pragma omp simd
  for (Eigen::Index i = 0; i < len; ++i) {
    double z = (v[i] - lo) * inv;
    if constexpr (kMinMax) z = Clamp01(z);
    acc[i] += z * w;
  }
  return ok;
}

template <Transform T>
bool AccumulateN(const Plan& p, const double* x, const std::uint8_t* mk, Eigen::Index len, double* acc) {
  return p.spec->normalise == Normalise::kMinMax ? AccumulateT<T, true>(p, x, mk, len, acc)
                                                 : AccumulateT<T, false>(p, x, mk, len, acc);
}

bool Accumulate(const Plan& p, const double* x, const std::uint8_t* mk, Eigen::Index len, double* acc) {
  switch (p.spec->transform) {
    case Transform::kIdentity: return AccumulateN<Transform::kIdentity>(p, x, mk, len, acc);
    case Transform::kLog1p: return AccumulateN<Transform::kLog1p>(p, x, mk, len, acc);
    case Transform::kCap: return AccumulateN<Transform::kCap>(p, x, mk, len, acc);
    case Transform::kIndicator: return AccumulateN<Transform::kIndicator>(p, x, mk, len, acc);
    case Transform::kYears: return AccumulateN<Transform::kYears>(p, x, mk, len, acc);
  }
  return false;
}

double TransformOne(const rules::IndicatorSpec& s, double x) {
  switch (s.transform) {
    case Transform::kIdentity: return Transformed<Transform::kIdentity>(s, x);
    case Transform::kLog1p: return Transformed<Transform::kLog1p>(s, x);
    case Transform::kCap: return Transformed<Transform::kCap>(s, x);
    case Transform::kIndicator: return Transformed<Transform::kIndicator>(s, x);
    case Transform::kYears: return Transformed<Transform::kYears>(s, x);
  }
  return 0;
}

Result<std::vector<Plan>> MakePlans(const rules::CreditModel& model, const IndicatorMatrix& m) {
  if (model.classes.size() != 4)
    return Error{"credit.model", "model '" + model.id + "' does not define the four classes A-D", "classes"};
  const auto n = static_cast<Eigen::Index>(m.entity_ids.size());
  const auto k = static_cast<Eigen::Index>(m.names.size());
  if (m.values.rows() != n || m.values.cols() != k || m.missing.rows() != n || m.missing.cols() != k)
    return Error{"credit.matrix_shape", "indicator matrix shape does not match its ids, names and mask", "values"};
  std::vector<Plan> plans;
  for (const auto& s : model.indicators) {
    int c = m.Column(s.name);
    if (c < 0)
      return Error{"credit.missing_indicator",
                   "model '" + model.id + "' " + model.version + " needs indicator '" + s.name +
                       "', which the indicator matrix does not have",
                   s.name};
    Plan p{&s, c, 0, 1, s.impute.has_value(), s.impute.value_or(0)};
    if (s.normalise == Normalise::kLinear) {
      p.lo = s.center;
      p.inv = 1.0 / s.scale;
    } else {
      p.lo = s.min;
      p.inv = 1.0 / (s.max - s.min);
    }
    plans.push_back(p);
  }
  return plans;
}

Error NotFinite(const IndicatorMatrix& m, Eigen::Index row) {
  std::string culprit;
  for (std::size_t j = 0; j < m.names.size() && culprit.empty(); ++j)
    if (!std::isfinite(m.values(row, static_cast<Eigen::Index>(j)))) culprit = m.names[j];
  return Error{"credit.not_finite",
               "score of entity '" + m.entity_ids[static_cast<std::size_t>(row)] + "' is not finite" +
                   (culprit.empty() ? std::string(" (a value is too large)") : " (indicator '" + culprit + "')"),
               culprit};
}

Error MissingWithoutImpute(const IndicatorMatrix& m, const Plan& p, Eigen::Index from, Eigen::Index len) {
  Eigen::Index row = from;
  for (Eigen::Index i = from; i < from + len; ++i)
    if (m.missing(i, p.col)) { row = i; break; }
  return Error{"credit.missing_value",
               "indicator '" + p.spec->name + "' of entity '" + m.entity_ids[static_cast<std::size_t>(row)] +
                   "' is missing and the model states no value to impute",
               p.spec->name};
}

}  // namespace

Result<ScoreSet> ScoreAll(const rules::CreditModel& model, const IndicatorMatrix& m) {
  auto plans = MakePlans(model, m);
  if (!plans.ok()) return plans.error();
  ScoreSet out;
  out.model_id = model.id;
  out.model_version = model.version;
  out.model_digest = model.digest;
  out.as_of = m.as_of;
  const Eigen::Index n = m.values.rows();
  out.scores.resize(n);
  out.classes.resize(static_cast<std::size_t>(n));
  const double b = model.classes[1].min_score, c = model.classes[2].min_score, d = model.classes[3].min_score;

  // Row blocks keep the accumulator in L1 while each column streams through once.
  alignas(64) double acc[kBlock];
  std::array<std::int64_t, 4> counts{};
  for (Eigen::Index from = 0; from < n; from += kBlock) {
    const Eigen::Index len = std::min(kBlock, n - from);
    std::fill(acc, acc + len, 0.0);
    for (const Plan& p : *plans) {
      const double* x = m.values.data() + p.col * n + from;
      const std::uint8_t* mk = m.missing.data() + p.col * n + from;
      if (!Accumulate(p, x, mk, len, acc)) return MissingWithoutImpute(m, p, from, len);
    }
    double* sc = out.scores.data() + from;
    RiskClass* cl = out.classes.data() + from;
    std::uint8_t all_finite = 1;
#pragma omp simd reduction(& : all_finite)
    for (Eigen::Index i = 0; i < len; ++i) {
      const double s = acc[i];
      sc[i] = s;
      all_finite &= static_cast<std::uint8_t>(s - s == 0.0);  // false for NaN and infinities
      cl[i] = static_cast<RiskClass>(static_cast<std::uint8_t>((s >= b) + (s >= c) + (s >= d)));
    }
    if (!all_finite) {
      for (Eigen::Index i = 0; i < len; ++i)
        if (!std::isfinite(acc[i])) return NotFinite(m, from + i);
    }
    for (Eigen::Index i = 0; i < len; ++i) ++counts[static_cast<int>(cl[i])];
  }
  out.class_counts = counts;
  return out;
}

Result<Explanation> Explain(const rules::CreditModel& model, const IndicatorMatrix& m, std::size_t row) {
  auto plans = MakePlans(model, m);
  if (!plans.ok()) return plans.error();
  if (row >= m.entity_ids.size())
    return Error{"credit.row", "row " + std::to_string(row) + " is outside the matrix", "row"};
  const auto i = static_cast<Eigen::Index>(row);
  Explanation e;
  e.entity_id = m.entity_ids[row];
  e.as_of = m.as_of;
  e.model_id = model.id;
  e.model_version = model.version;
  e.model_digest = model.digest;
  e.input_digest = InputDigest(m, row);
  double score = 0.0;
  for (const Plan& p : *plans) {
    const rules::IndicatorSpec& s = *p.spec;
    Contribution c;
    c.indicator = s.name;
    c.raw = m.values(i, p.col);
    c.missing = m.missing(i, p.col) != 0;
    if (c.missing && !p.has_impute) return MissingWithoutImpute(m, p, i, 1);
    c.used = c.missing ? p.impute : c.raw;
    c.transform = rules::TransformName(s.transform);
    c.transformed = TransformOne(s, c.used);
    c.normalised = s.normalise == Normalise::kMinMax ? Normalised<true>(p, c.transformed)
                                                       : Normalised<false>(p, c.transformed);
    c.weight = s.weight;
    c.contribution = c.normalised * c.weight;
    c.note = s.note;
    score += c.contribution;
    e.contributions.push_back(std::move(c));
  }
  if (!std::isfinite(score)) return NotFinite(m, i);
  e.score = score;
  e.cls = model.Classify(score);
  const auto& cs = model.classes[static_cast<std::size_t>(e.cls)];
  e.class_label = cs.label;
  e.class_min_score = e.cls == RiskClass::kA ? 0 : cs.min_score;
  return e;
}

Json ExplanationJson(const Explanation& e) {
  Json cs = Json::array();
  for (const auto& c : e.contributions) {
    Json j = {{"indicator", c.indicator},       {"raw", c.raw},
              {"missing", c.missing},           {"used", c.used},
              {"transform", c.transform},       {"transformed", c.transformed},
              {"normalised", c.normalised},     {"weight", c.weight},
              {"contribution", c.contribution}, {"contribution_exact", ExactDecimal(c.contribution)}};
    if (c.missing) j["imputed"] = c.used;
    if (!c.note.empty()) j["note"] = c.note;
    cs.push_back(std::move(j));
  }
  return Json{{"entity_id", e.entity_id},
              {"as_of", FormatDate(e.as_of)},
              {"model", {{"id", e.model_id}, {"version", e.model_version}, {"digest", e.model_digest}}},
              {"input_digest", e.input_digest},
              {"score", e.score},
              {"score_exact", ExactDecimal(e.score)},
              {"class", rules::RiskClassName(e.cls)},
              {"class_label", e.class_label},
              {"contributions", std::move(cs)}};
}

std::string ExplanationText(const Explanation& e) {
  char buf[512];
  std::string out;
  std::snprintf(buf, sizeof buf, "Entity %s, as of %s: score %.3f, class %s%s%s\n", e.entity_id.c_str(),
                FormatDate(e.as_of).c_str(), e.score, rules::RiskClassName(e.cls), e.class_label.empty() ? "" : " ",
                e.class_label.c_str());
  out += buf;
  if (e.cls != RiskClass::kA) {
    std::snprintf(buf, sizeof buf, "  (class %s applies from score %.3f)\n", rules::RiskClassName(e.cls),
                  e.class_min_score);
    out += buf;
  }
  out += "Model " + e.model_id + " version " + e.model_version + " (sha256 " + e.model_digest + ")\n";
  out += "Inputs sha256 " + e.input_digest + "\n";
  for (const auto& c : e.contributions) {
    std::snprintf(buf, sizeof buf, "  %-28s value %-12s %-9s -> %10.4f x weight %8.3f = %+9.3f%s\n",
                  c.indicator.c_str(), ExactDecimal(c.used).c_str(), c.transform.c_str(), c.normalised, c.weight,
                  c.contribution, c.missing ? "  (missing: imputed)" : "");
    out += buf;
  }
  return out;
}

}  // namespace suiji::credit
