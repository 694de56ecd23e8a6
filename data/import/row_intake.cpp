#include "data/import/row_intake.h"

#include "data/import/values.h"

namespace suiji::import {

Status RowIntake::Start(std::unique_ptr<CsvReader> r, const ImportOptions& options, const std::string& source) {
  reader = std::move(r);
  opt = options;
  DuplicateIndexOptions dup;
  dup.memory_keys = options.duplicate_memory_keys;
  seen = DuplicateIndex(dup);
  report.source = source;
  if (!reader->Next(rec)) return Error{"header.empty", source + ": the file is empty (no header row)", ""};
  if (rec.error) return Error{rec.error->code, source + ": row 1 (header): " + rec.error->message, ""};
  columns = rec.fields;
  while (!columns.empty() && Trim(columns.back()).empty()) columns.pop_back();
  report.header = columns;
  report.bom = reader->had_bom();
  return OkStatus();
}

void RowIntake::Keep(std::vector<RowError>& list, std::map<std::string, std::int64_t>& counts, const RowError& e) {
  ++counts[e.code];
  if (list.size() < opt.max_errors_kept) list.push_back(e);
  else report.truncated = true;
}

void RowIntake::NoteWarnings(const std::vector<RowError>& warnings) {
  for (const auto& w : warnings) Keep(report.warnings, report.warning_counts, w);
}

void RowIntake::Reject(std::int64_t row, const std::string& text, const std::vector<RowError>& errors,
                       bool count_errors) {
  ++report.rows_rejected;
  if (count_errors)
    for (const auto& e : errors) Keep(report.errors, report.error_counts, e);
  if (sink) sink(RejectedRow{row, text, errors});
}

void RowIntake::Accept(const std::vector<RowError>& warnings) {
  ++report.rows_valid;
  ++report.records_valid;
  if (!warnings.empty()) ++report.rows_flagged;
  NoteWarnings(warnings);
}

bool RowIntake::ReadData() {
  while (reader->Next(rec)) {
    if (rec.blank() && !rec.error) {
      ++report.blank_rows;
      continue;
    }
    ++report.rows_read;
    return true;
  }
  return false;
}

bool RowIntake::Structural(std::vector<RowError>& errors) {
  if (rec.error) {
    std::string column;
    if (!rec.error->field.empty()) {
      std::size_t c = std::stoul(rec.error->field);
      column = c < columns.size() ? columns[c] : "column " + std::to_string(c + 1);
    }
    errors.push_back({rec.row, column, "", rec.error->code, rec.error->message, 0});
    return true;
  }
  std::size_t want = columns.size(), got = rec.fields.size();
  bool extra_empty = got > want;
  for (std::size_t c = want; c < got; ++c)
    if (!Trim(rec.fields[c]).empty()) extra_empty = false;
  if (got == want || extra_empty) {
    rec.fields.resize(want);
    return false;
  }
  errors.push_back({rec.row, "", "", "csv.columns",
                    "the header has " + std::to_string(want) + " columns but this row has " + std::to_string(got) +
                        (got > want ? " (an unquoted comma inside a value?)" : ""),
                    0});
  return true;
}

bool RowIntake::FirstOfKey(const std::string& key, std::int64_t row, const std::string& noun,
                           const std::string& column, const std::string& value, const std::string& subject,
                           const std::string& sameness, std::vector<RowError>& errors) {
  if (!opt.check_duplicates) return true;
  std::int64_t first = seen.FindOrInsert(DuplicateKeyHash(key), row);
  if (first == 0) return true;
  if (first < 0) {  // the index's temp file failed on read: unknown, so the row is not taken
    errors.push_back({row, column, value, noun + ".duplicate_check",
                      "could not check " + subject + " for an earlier duplicate (" + seen.error() +
                          "); the row was not imported",
                      0});
    return false;
  }
  errors.push_back({row, column, value, noun + ".duplicate",
                    "rows " + std::to_string(first) + " and " + std::to_string(row) + " " + sameness + "; row " +
                        std::to_string(first) + " was kept",
                    first});
  return false;
}

void RowIntake::NoteEncoding() {
  Encoding e = reader->encoding();
  report.encoding = EncodingName(e == Encoding::kAuto ? Encoding::kUtf8 : e);
}

}  // namespace suiji::import
