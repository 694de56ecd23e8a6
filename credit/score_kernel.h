// The scoring kernel behind credit/score.h (internal to suiji_credit; tests use it directly).
//
// A Column binds one model indicator to one matrix column with its constants prepared once. The
// element functions (Transformed, Normalised, Evaluate in credit/score_kernel.inc) are templates over
// the packet width, compiled once per instruction set; ScoreAll runs them over row blocks at the widest
// width the CPU offers (ScoreRange), Explain runs them on one row through a 2-lane SSE2 packet
// (EvaluateOne). Same operations in the same order on every lane, so every path gives the same bits
// (credit/vector_math.h states the conditions).
//
// ScoreRange scores rows [from, to) in blocks of kBlockRows: for each block, every column's
// contribution is added, in model order starting from 0.0, into the block's slice of `scores` (which
// stays in L1/L2 while the columns stream through once), then the block is classified. It stops at
// the first block with a missing value the model cannot impute, or with a score that is not finite,
// so the outcome (and so the error) is the one a row-by-row evaluation meets first.
#pragma once
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <vector>

#include "credit/score.h"
#include "rules/credit_model.h"

namespace suiji::credit::kernel {

constexpr Eigen::Index kBlockRows = 4096;

// How a column's normalisation (t - lo) * inv reduces when its constants allow it without changing a
// bit: lo == +0.0 makes the subtraction exact (t - +0.0 == t, also for -0.0, NaN and infinities), and
// inv == 1.0 makes the product exact.
enum class Affine : std::uint8_t { kFull, kScaleOnly, kNone };

struct Column {
  const rules::IndicatorSpec* spec = nullptr;
  Eigen::Index col = 0;  // in the matrix
  rules::Transform transform = rules::Transform::kIdentity;
  bool minmax = false;  // clamp the normalised value to [0, 1]
  Affine affine = Affine::kFull;
  bool has_impute = false;
  double impute = 0, cap = 0, threshold = 0;
  double lo = 0, inv = 1;  // normalised = (transformed - lo) * inv, clamped to [0, 1] for min-max
  double weight = 0;
  // Indicator columns: the contribution of transformed 1 and 0, computed once by the same element
  // functions, so the kernel only selects (Explain computes them in full and gets the same bits).
  double contribution_on = 0, contribution_off = 0;
};

Column MakeColumn(const rules::IndicatorSpec& spec, Eigen::Index col);

struct ScalarSteps {
  double transformed = 0, normalised = 0, contribution = 0;
};
ScalarSteps EvaluateOne(const Column& c, double used);

struct RangeOutcome {
  enum Kind { kOk, kMissing, kNotFinite } kind = kOk;
  Eigen::Index row = 0;     // the first offending row (kMissing, kNotFinite)
  std::size_t column = 0;   // index in the column list (kMissing)
  std::array<std::int64_t, 4> counts{};  // classes of the rows scored
};

struct MatrixView {
  const double* values;        // column-major, `rows` rows
  const std::uint8_t* missing;  // same layout
  Eigen::Index rows;
};

// bounds = the B, C and D minimum scores. Writes scores[from, to) and classes[from, to).
using RangeFn = RangeOutcome (*)(const std::vector<Column>& columns, const MatrixView& m, Eigen::Index from,
                                 Eigen::Index to, const std::array<double, 3>& bounds, double* scores,
                                 rules::RiskClass* classes);

// kAuto -> the widest path this CPU supports.
VectorPath Resolve(VectorPath requested);
bool Supported(VectorPath path);
// A resolved, supported path's ScoreRange.
RangeFn RangeFunction(VectorPath path);

}  // namespace suiji::credit::kernel
