// Writing CSV for exports and rejects files: UTF-8, CRLF line ends (what Excel writes), fields quoted
// only when they must be (delimiter, quote, CR, LF, or leading/trailing space). An optional UTF-8 BOM
// makes Excel on Chinese Windows open the file as UTF-8 instead of GBK.
//
// Export rows use the importer's own headers (schema.h), so an export re-imports unchanged;
// multi-valued fields are joined with ';'.
#pragma once
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "data/import/report.h"
#include "data/import/schema.h"

namespace suiji::import {

std::string CsvQuote(std::string_view field);
std::string CsvLine(const std::vector<std::string>& fields);  // no line break

class CsvWriter {
 public:
  explicit CsvWriter(std::ostream& out, bool bom = false);
  void Row(const std::vector<std::string>& fields);
  // Writes already-formatted CSV text as one row (a rejected row, verbatim).
  void RawRow(std::string_view text);
  std::int64_t rows() const { return rows_; }

 private:
  std::ostream& out_;
  std::int64_t rows_ = 0;
};

enum class HeaderStyle { kChinese, kEnglish };

// Header and row of each register in the import format (simple item shape).
std::vector<std::string> ExportHeader(RegisterKind kind, HeaderStyle style = HeaderStyle::kChinese);
std::vector<std::string> ExportRow(const Entity& e);
std::vector<std::string> ExportRow(const Officer& o);
std::vector<std::string> ExportRow(const InspectionItem& i);
std::vector<std::string> ExportRow(const OrgUnit& u);

// Writes a rejects file: the original header plus a 错误原因 column, then each rejected row verbatim
// with its reasons ("[column] code: reason; ..."). Fix the rows, delete nothing else, and import the
// file again: the importer ignores the 错误原因 column.
class RejectsWriter {
 public:
  RejectsWriter(std::ostream& out, const std::vector<std::string>& header, bool bom = true);
  void Write(const RejectedRow& row);
  std::int64_t rows() const { return writer_.rows() - 1; }

 private:
  CsvWriter writer_;
};

std::string FormatReasons(const std::vector<RowError>& errors);

}  // namespace suiji::import
