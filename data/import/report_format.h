// Presenting an ImportReport: a short text summary for the command line and a JSON document for
// the API. Pure formatting; both list errors as "row N, column: code: reason (value)".
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "data/import/report.h"

namespace suiji::import {

// E.g. "entities.csv (entities, gb18030): 34 rows read, 24 valid, 10 rejected, 3 flagged, 1 blank\n"
// followed by counts by code and the first `max_listed` errors and warnings.
std::string FormatReportText(const ImportReport& report, std::size_t max_listed = 20);

// {"source", "register", "encoding", "bom", "rows": {"read", "valid", "rejected", "flagged", "blank"},
//  "records_valid", "error_counts", "warning_counts", "errors": [...], "warnings": [...], "truncated"}
nlohmann::json ReportToJson(const ImportReport& report);

}  // namespace suiji::import
