// Scoring the whole register at once, and explaining any one score.
//
// ScoreAll evaluates a CreditModel over an IndicatorMatrix in cache-sized row blocks (the matrix and
// its mask are read once), giving every entity a score and a risk class as of the matrix's date.
// Explain recomputes one entity's contributions with the very same element functions
// (credit/score_kernel.h), so that:
//   * the contributions, added in model order starting from 0.0, equal ScoreAll's score exactly
//     (bit for bit: the library is built with -ffp-contract=off, so no fused multiply-add);
//   * the scores are the same bits on every x86-64 machine, whichever vector path (SSE2, AVX2,
//     AVX-512) and however many threads ScoreAll uses: every lane runs the same IEEE operations, and
//     log1p is our own (credit/vector_math.h), not the C library's;
//   * the explanation names the model (id, version, file digest) and the input digest
//     (credit/indicators.h InputDigest), which is enough to justify a class to the entity or a court.
//
// Errors: a model indicator the matrix lacks; a missing value where the model states no imputation;
// a non-finite score (NaN or infinite input), naming the entity and the indicator; an unsupported
// forced vector path. With several threads the error is still the one a row-by-row scan meets first.
#pragma once
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/canonical_json.h"
#include "core/date.h"
#include "core/result.h"
#include "credit/indicators.h"
#include "rules/credit_model.h"

namespace suiji::credit {

using rules::RiskClass;

struct ScoreSet {
  std::string model_id, model_version, model_digest;
  Date as_of;
  Eigen::VectorXd scores;                // by matrix row
  std::vector<RiskClass> classes;        // by matrix row
  std::array<std::int64_t, 4> class_counts{};  // A, B, C, D
};

// Which instruction set ScoreAll's kernel uses. Results are identical on every path; forcing one is
// for tests and benchmarks.
enum class VectorPath { kAuto, kSse2, kAvx2, kAvx512 };
const char* VectorPathName(VectorPath p);  // "auto", "sse2", "avx2", "avx512"
bool VectorPathSupported(VectorPath p);     // by this CPU (kAuto and kSse2: always)
VectorPath ResolveVectorPath(VectorPath p); // kAuto -> the widest supported; others unchanged

struct ScoreOptions {
  int threads = 0;  // 0: one per core (at most 8), fewer for small matrices; at most 64; results do not depend on it
  VectorPath path = VectorPath::kAuto;
};

Result<ScoreSet> ScoreAll(const rules::CreditModel& model, const IndicatorMatrix& matrix,
                          const ScoreOptions& options = {});

// One indicator's part of a score.
struct Contribution {
  std::string indicator;
  double raw = 0;         // the matrix value (0 when missing)
  bool missing = false;
  double used = 0;        // raw, or the model's imputed value when missing
  std::string transform;  // e.g. "log1p"
  double transformed = 0;
  double normalised = 0;
  double weight = 0;
  double contribution = 0;  // weight * normalised
  std::string note;         // the model's reason for the indicator
};

struct Explanation {
  std::string entity_id;
  Date as_of;
  std::string model_id, model_version, model_digest;
  std::string input_digest;     // SHA-256 of CanonicalInputs(matrix, row)
  double score = 0;             // == sum of contributions in order, exactly
  RiskClass cls = RiskClass::kA;
  std::string class_label;
  double class_min_score = 0;   // the bound the score reached (0 and unused for A)
  std::vector<Contribution> contributions;  // model order
};

Result<Explanation> Explain(const rules::CreditModel& model, const IndicatorMatrix& matrix, std::size_t row);

// JSON for the store, the CLI and Thrift. Numbers appear twice: as JSON numbers for reading and as
// exact decimal strings ("score_exact") for recomputation; this JSON is not itself hashed.
Json ExplanationJson(const Explanation& e);
// A plain-text account, one line per indicator, for a letter to the entity.
std::string ExplanationText(const Explanation& e);

}  // namespace suiji::credit
