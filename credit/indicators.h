// IndicatorMatrix: the register's indicators as one Eigen matrix (entities x indicators), as of a date.
//
// AssembleIndicators computes every catalogue indicator (rules/credit_model.h) from plain records.
// Only records dated on or before the as-of date count, so the same records give "the indicators as
// of D" for any D. Missing values are explicit: `missing(i, j) == 1` and `values(i, j) == 0`; the
// model states what to impute and the explanation says it did. Counts over our own registers are
// never missing: zero is an observation.
//
// Errors (never a crash): a duplicate entity id in the register, a record naming an entity that is
// not in the register (field e.g. "penalties[12].entity_id"), an unknown indicator, an unreadable
// establishment date.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/domain.h"
#include "core/result.h"
#include "credit/records.h"

namespace suiji::credit {

using MissingMask = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic>;

struct IndicatorMatrix {
  Date as_of;
  std::vector<std::string> entity_ids;  // row order
  std::vector<std::string> names;       // column order
  Eigen::MatrixXd values;               // rows x cols, column-major; 0 where missing
  MissingMask missing;                  // same shape; 1 = missing

  std::size_t rows() const { return entity_ids.size(); }
  int Column(std::string_view name) const;  // -1 when absent
  // Checks the shapes agree and the values are finite (NaN-free): call on matrices built by hand.
  Status Validate() const;
};

// The indicators of every entity of `entities` (in that order), for the indicator `names` (catalogue
// names or ext.<source>.<name>; empty = the whole catalogue without external ones).
Result<IndicatorMatrix> AssembleIndicators(const std::vector<Entity>& entities, const CreditRecords& records,
                                           const std::vector<std::string>& names, Date as_of);

// SHA-256 (hex) over the canonical JSON of one row's inputs:
//   {"as_of":"YYYY-MM-DD","entity_id":"...","indicators":[{"name":"...","value":"<shortest round-trip>"}
//    | {"missing":true,"name":"..."} ...]}
// Values are strings (canonical JSON holds no floating point); the digest lets an entity or a court
// check that the explanation was computed from exactly these inputs.
std::string InputDigest(const IndicatorMatrix& m, std::size_t row);
// The canonical bytes InputDigest hashes, for publication beside the digest.
std::string CanonicalInputs(const IndicatorMatrix& m, std::size_t row);

// Shortest decimal text that reads back to exactly `v` (std::to_chars).
std::string ExactDecimal(double v);

}  // namespace suiji::credit
