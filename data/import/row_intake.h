// RowIntake: the row bookkeeping every streaming importer shares, the register importer
// (importer.h) and the record importer (record_import.h) alike, so both count, keep and word their
// findings the same way:
//   * Start reads and trims the header row (file-level errors carry "SOURCE: row 1 (header): ");
//   * ReadData skips blank records (counted in blank_rows) and counts every other one as read;
//   * Structural rejects a record whose text was unreadable or whose column count differs from the
//     header's (trailing empty cells are dropped, as Excel writes them);
//   * FirstOfKey keeps the first row of a key and makes every later one a "<noun>.duplicate" error
//     naming the first (or "<noun>.duplicate_check" when the spilled index cannot be read back);
//   * Accept / Reject keep the counters so that rows_read == rows_valid + rows_rejected, and at most
//     ImportOptions::max_errors_kept errors and warnings (counts stay complete; `truncated` says so).
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "data/import/csv_reader.h"
#include "data/import/duplicate_index.h"
#include "data/import/importer.h"
#include "data/import/report.h"

namespace suiji::import {

struct RowIntake {
  std::unique_ptr<CsvReader> reader;
  ImportOptions opt;
  ImportReport report;
  DuplicateIndex seen;  // key hash -> first row; spills to disk, so memory stays flat
  std::function<void(const RejectedRow&)> sink;
  CsvRecord rec;
  std::vector<std::string> columns;  // the header as in the file, trailing empty columns dropped
  bool done = false;

  // Takes the reader and reads the header row into `columns`.
  Status Start(std::unique_ptr<CsvReader> r, const ImportOptions& options, const std::string& source);

  void Keep(std::vector<RowError>& list, std::map<std::string, std::int64_t>& counts, const RowError& e);
  void NoteWarnings(const std::vector<RowError>& warnings);
  // A refused row: counted, its errors kept (unless already kept), handed to the rejects sink.
  void Reject(std::int64_t row, const std::string& text, const std::vector<RowError>& errors, bool count_errors = true);
  // An accepted row (one record): counted, flagged when it carries a warning.
  void Accept(const std::vector<RowError>& warnings);

  bool ReadData();
  bool Structural(std::vector<RowError>& errors);
  // `subject` names what was checked ("this result", "统一社会信用代码 '9151...'") and `sameness`
  // what two rows share ("are the same result", "have the same 统一社会信用代码 '9151...'").
  bool FirstOfKey(const std::string& key, std::int64_t row, const std::string& noun, const std::string& column,
                  const std::string& value, const std::string& subject, const std::string& sameness,
                  std::vector<RowError>& errors);
  // The encoding as detected so far, into the report (call after each batch).
  void NoteEncoding();
};

}  // namespace suiji::import
