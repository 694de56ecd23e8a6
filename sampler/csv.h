// Internal: RFC 4180 CSV for bundle lists. A field is quoted when it holds a comma, quote, CR or LF;
// quotes are doubled. Rows end with "\n". Header row first.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"

namespace suiji::sampler::internal {

std::string CsvRow(const std::vector<std::string>& fields);
// Parses a whole file; errors name the line. Empty input gives no rows.
Result<std::vector<std::vector<std::string>>> ParseCsv(const std::string& text);

}  // namespace suiji::sampler::internal
