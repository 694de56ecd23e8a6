#include "data/import/report_format.h"

namespace suiji::import {
namespace {

std::string Line(const RowError& e) {
  std::string s = "row " + std::to_string(e.row);
  if (!e.column.empty()) s += ", " + e.column;
  s += ": " + e.code + ": " + e.reason;
  if (!e.value.empty() && e.reason.find(e.value) == std::string::npos) s += " (value '" + e.value + "')";
  return s;
}

nlohmann::json ToJson(const RowError& e) {
  nlohmann::json j = {{"row", e.row}, {"column", e.column}, {"value", e.value}, {"code", e.code}, {"reason", e.reason}};
  if (e.other_row) j["other_row"] = e.other_row;
  return j;
}

}  // namespace

std::string FormatReportText(const ImportReport& r, std::size_t max_listed) {
  std::string out = r.source + " (" + r.register_kind + ", " + r.encoding + (r.bom ? " with BOM" : "") +
                    "): " + std::to_string(r.rows_read) + " rows read, " + std::to_string(r.rows_valid) + " valid, " +
                    std::to_string(r.rows_rejected) + " rejected, " + std::to_string(r.rows_flagged) + " flagged, " +
                    std::to_string(r.blank_rows) + " blank\n";
  if (r.register_kind == "items_gov")
    out += "  " + std::to_string(r.records_valid) + " inspection items assembled\n";
  auto counts = [&](const char* title, const std::map<std::string, std::int64_t>& m) {
    if (m.empty()) return;
    out += std::string("  ") + title + ":";
    for (const auto& [code, n] : m) out += " " + code + " x" + std::to_string(n);
    out += "\n";
  };
  counts("errors", r.error_counts);
  counts("warnings", r.warning_counts);
  auto list = [&](const std::vector<RowError>& xs, std::int64_t total) {
    std::size_t n = 0;
    for (const auto& e : xs) {
      if (n++ == max_listed) break;
      out += "  " + Line(e) + "\n";
    }
    if (total > static_cast<std::int64_t>(std::min(xs.size(), max_listed)))
      out += "  ... " + std::to_string(total - static_cast<std::int64_t>(std::min(xs.size(), max_listed))) +
             " more (see the rejects file)\n";
  };
  std::int64_t errors = 0, warnings = 0;
  for (const auto& [c, n] : r.error_counts) errors += n;
  for (const auto& [c, n] : r.warning_counts) warnings += n;
  list(r.errors, errors);
  list(r.warnings, warnings);
  return out;
}

nlohmann::json ReportToJson(const ImportReport& r) {
  nlohmann::json j;
  j["source"] = r.source;
  j["register"] = r.register_kind;
  j["encoding"] = r.encoding;
  j["bom"] = r.bom;
  j["rows"] = {{"read", r.rows_read}, {"valid", r.rows_valid}, {"rejected", r.rows_rejected},
               {"flagged", r.rows_flagged}, {"blank", r.blank_rows}};
  j["records_valid"] = r.records_valid;
  j["error_counts"] = r.error_counts;
  j["warning_counts"] = r.warning_counts;
  j["errors"] = nlohmann::json::array();
  for (const auto& e : r.errors) j["errors"].push_back(ToJson(e));
  j["warnings"] = nlohmann::json::array();
  for (const auto& e : r.warnings) j["warnings"].push_back(ToJson(e));
  j["truncated"] = r.truncated;
  return j;
}

}  // namespace suiji::import
