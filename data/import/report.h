// What an import found: per-row errors and warnings, rejected rows for a rejects file, and counts.
// Invariant, always: rows_read == rows_valid + rows_rejected.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace suiji::import {

// One finding about one cell (or row, or the header when row == 1).
struct RowError {
  std::int64_t row = 0;        // Excel row number (header = 1)
  std::string column;          // header label as in the file ("" for the whole row)
  std::string value;           // the offending cell text
  std::string code;            // stable code, e.g. "uscc.check", "region.unknown", "entity.duplicate"
  std::string reason;          // human-readable
  std::int64_t other_row = 0;  // the row this one conflicts with (duplicates), else 0
  bool operator==(const RowError&) const = default;
};

// A row the importer refused, as the file had it, with every reason.
struct RejectedRow {
  std::int64_t row = 0;
  std::string text;             // original record text (UTF-8), without the line break
  std::vector<RowError> errors;
};

struct ImportReport {
  std::string source;           // file name or "<memory>"
  std::string register_kind;    // entities | officers | items | items_gov
  std::string encoding;         // utf-8 | gb18030 (after detection)
  bool bom = false;
  std::vector<std::string> header;

  std::int64_t rows_read = 0;      // non-blank data rows (the header and blank rows excluded)
  std::int64_t rows_valid = 0;     // rows that became (part of) an accepted record
  std::int64_t rows_rejected = 0;
  std::int64_t blank_rows = 0;
  std::int64_t records_valid = 0;  // accepted entities / officers / items (an item may span rows)
  std::int64_t rows_flagged = 0;   // accepted rows that carry a warning (e.g. legacy identifier)

  std::map<std::string, std::int64_t> error_counts;    // by code, complete
  std::map<std::string, std::int64_t> warning_counts;  // by code, complete
  std::vector<RowError> errors;    // the first ImportOptions::max_errors_kept, in file order
  std::vector<RowError> warnings;  // likewise (includes header.unknown)
  bool truncated = false;          // more errors or warnings existed than were kept

  bool consistent() const { return rows_read == rows_valid + rows_rejected; }
};

}  // namespace suiji::import
