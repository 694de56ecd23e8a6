// Messy entity registers for tests: a clean generated register with a fixed set of defects spread
// through it, and the exact findings an importer must report for it. Deterministic for a seed.
//
// Defects (each once unless noted): 3 legacy identifiers (accepted, flagged id.legacy), 2 codes Excel
// turned into floats (id.excel_float), 2 wrong USCC check characters (uscc.check), 2 unknown region
// codes (region.unknown), 1 repeated identifier (entity.duplicate naming both rows), 1 impossible
// date (date.format), 1 unknown status (status.unknown), 1 row with an extra column (csv.columns),
// 1 blank line, and 1 valid row whose quoted address holds a comma and a line break.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/region.h"
#include "core/result.h"
#include "data/import/encoding.h"
#include "data/import/report.h"

namespace suiji::gen {

struct MessyOptions {
  std::uint64_t seed = 7;
  std::int64_t clean_rows = 20;
  std::string province = "51";
  import::Encoding encoding = import::Encoding::kUtf8;  // kGb18030 writes what Excel on Chinese Windows writes
  bool bom = false;
};

struct MessyExpectation {
  std::int64_t rows_read = 0, rows_valid = 0, rows_rejected = 0, rows_flagged = 0, blank_rows = 0;
  std::vector<import::RowError> errors;    // row, column (Chinese header), value, code; reason left empty
  std::vector<import::RowError> warnings;  // likewise
};

Result<MessyExpectation> WriteMessyEntities(const MessyOptions& options, const RegionTable& regions, std::ostream& out);

}  // namespace suiji::gen
