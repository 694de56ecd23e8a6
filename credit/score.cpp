#include "credit/score.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <thread>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "credit/score_kernel.h"

namespace suiji::credit {
namespace {

using kernel::Column;

Result<std::vector<Column>> MakeColumns(const rules::CreditModel& model, const IndicatorMatrix& m) {
  if (model.classes.size() != 4)
    return Error{"credit.model", "model '" + model.id + "' does not define the four classes A-D", "classes"};
  const auto n = static_cast<Eigen::Index>(m.entity_ids.size());
  const auto k = static_cast<Eigen::Index>(m.names.size());
  if (m.values.rows() != n || m.values.cols() != k || m.missing.rows() != n || m.missing.cols() != k)
    return Error{"credit.matrix_shape", "indicator matrix shape does not match its ids, names and mask", "values"};
  std::vector<Column> columns;
  for (const auto& s : model.indicators) {
    int c = m.Column(s.name);
    if (c < 0)
      return Error{"credit.missing_indicator",
                   "model '" + model.id + "' " + model.version + " needs indicator '" + s.name +
                       "', which the indicator matrix does not have",
                   s.name};
    columns.push_back(kernel::MakeColumn(s, c));
  }
  return columns;
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

Error MissingWithoutImpute(const IndicatorMatrix& m, const Column& c, Eigen::Index row) {
  return Error{"credit.missing_value",
               "indicator '" + c.spec->name + "' of entity '" + m.entity_ids[static_cast<std::size_t>(row)] +
                   "' is missing and the model states no value to impute",
               c.spec->name};
}

// Enough rows per thread that starting it costs little against scoring them.
constexpr Eigen::Index kRowsPerThread = 1 << 17;

int ThreadCount(int requested, Eigen::Index rows) {
  if (requested > 0) return std::min(requested, 64);
  const auto cores = static_cast<Eigen::Index>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<int>(std::clamp<Eigen::Index>((rows + kRowsPerThread - 1) / kRowsPerThread, 1, std::min<Eigen::Index>(cores, 8)));
}

// Fresh output arrays of a large register are tens of MB: ask for transparent huge pages before the
// first touch, so that filling them takes one page fault per 2 MB instead of one per 4 KB (on a VM a
// fault costs microseconds). Only a hint; ignored where unsupported.
void AdviseHugePages(void* p, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{1} << 21;
  if (bytes < 2 * kHuge) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p, (void)bytes;
#endif
}

}  // namespace

const char* VectorPathName(VectorPath p) {
  switch (p) {
    case VectorPath::kAuto: return "auto";
    case VectorPath::kSse2: return "sse2";
    case VectorPath::kAvx2: return "avx2";
    case VectorPath::kAvx512: return "avx512";
  }
  return "?";
}
bool VectorPathSupported(VectorPath p) { return kernel::Supported(p); }
VectorPath ResolveVectorPath(VectorPath p) { return kernel::Resolve(p); }

Result<ScoreSet> ScoreAll(const rules::CreditModel& model, const IndicatorMatrix& m, const ScoreOptions& options) {
  auto columns = MakeColumns(model, m);
  if (!columns.ok()) return columns.error();
  if (!kernel::Supported(options.path))
    return Error{"credit.vector_path",
                 std::string("this CPU does not support the ") + VectorPathName(options.path) + " scoring path",
                 "path"};
  const kernel::RangeFn score_range = kernel::RangeFunction(kernel::Resolve(options.path));
  ScoreSet out;
  out.model_id = model.id;
  out.model_version = model.version;
  out.model_digest = model.digest;
  out.as_of = m.as_of;
  const Eigen::Index n = m.values.rows();
  out.scores.resize(n);
  out.classes.reserve(static_cast<std::size_t>(n));
  AdviseHugePages(out.scores.data(), static_cast<std::size_t>(n) * sizeof(double));
  AdviseHugePages(out.classes.data(), static_cast<std::size_t>(n));
  out.classes.resize(static_cast<std::size_t>(n));
  const std::array<double, 3> bounds{model.classes[1].min_score, model.classes[2].min_score,
                                     model.classes[3].min_score};
  const kernel::MatrixView view{m.values.data(), m.missing.data(), n};

  // Contiguous ranges on block boundaries, one per thread; the calling thread takes the first.
  const int threads = ThreadCount(options.threads, n);
  const Eigen::Index blocks = (n + kernel::kBlockRows - 1) / kernel::kBlockRows;
  std::vector<kernel::RangeOutcome> outcomes(static_cast<std::size_t>(threads));
  auto run = [&](int t) {
    const Eigen::Index from = std::min(n, blocks * t / threads * kernel::kBlockRows);
    const Eigen::Index to = std::min(n, blocks * (t + 1) / threads * kernel::kBlockRows);
    outcomes[static_cast<std::size_t>(t)] =
        score_range(*columns, view, from, to, bounds, out.scores.data(), out.classes.data());
  };
  {
    std::vector<std::jthread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(run, t);
    run(0);
  }
  // Ranges are in row order, so the first failing range holds the first error of a sequential scan.
  for (const auto& o : outcomes) {
    if (o.kind == kernel::RangeOutcome::kMissing) return MissingWithoutImpute(m, (*columns)[o.column], o.row);
    if (o.kind == kernel::RangeOutcome::kNotFinite) return NotFinite(m, o.row);
    for (int c = 0; c < 4; ++c) out.class_counts[static_cast<std::size_t>(c)] += o.counts[static_cast<std::size_t>(c)];
  }
  return out;
}

Result<Explanation> Explain(const rules::CreditModel& model, const IndicatorMatrix& m, std::size_t row) {
  auto columns = MakeColumns(model, m);
  if (!columns.ok()) return columns.error();
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
  for (const Column& col : *columns) {
    const rules::IndicatorSpec& s = *col.spec;
    Contribution c;
    c.indicator = s.name;
    c.raw = m.values(i, col.col);
    c.missing = m.missing(i, col.col) != 0;
    if (c.missing && !col.has_impute) return MissingWithoutImpute(m, col, i);
    c.used = c.missing ? col.impute : c.raw;
    c.transform = rules::TransformName(s.transform);
    const kernel::ScalarSteps steps = kernel::EvaluateOne(col, c.used);
    c.transformed = steps.transformed;
    c.normalised = steps.normalised;
    c.weight = s.weight;
    c.contribution = steps.contribution;
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
