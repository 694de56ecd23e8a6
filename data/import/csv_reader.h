// CsvReader: a streaming RFC 4180 reader for register files as Excel and other tools write them.
//
// - Encodings: see encoding.h (UTF-8 with/without BOM, GB18030/GBK, detected or forced).
// - Line breaks CRLF, LF or a lone CR; quoted fields may hold commas, doubled quotes ("") and
//   line breaks.
// - Memory is flat in the file size: bytes are read in chunks; only the current record is kept
//   (a single record is capped at CsvOptions::max_record_bytes).
// - Every record knows its row as Excel shows it (the first record, the header, is row 1; a
//   record with line breaks inside quotes is still one row; empty lines count as rows) and the
//   physical line it starts on, and keeps its original text (decoded to UTF-8) for rejects files.
// - Problems become per-record errors, never exceptions, and never end the file early:
//     csv.encoding            bytes that are not valid in the file's encoding
//     csv.unterminated_quote  a quoted field never closed before the end of the file (or before
//                             max_record_bytes): the record is cut at the end of the line where
//                             the quote opened and reading resumes on the next line
//     csv.quote               text after a closing quote ("abc"x)
//   Column counts are the importer's business (it knows the header).
#pragma once
#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "data/import/encoding.h"

namespace suiji::import {

struct CsvOptions {
  Encoding encoding = Encoding::kAuto;
  char delimiter = ',';
  std::size_t chunk_bytes = 1 << 18;
  std::size_t max_record_bytes = 1 << 20;
};

struct CsvRecord {
  std::int64_t row = 0;              // Excel row number (header = 1)
  std::int64_t line = 0;             // physical line the record starts on (1-based)
  std::vector<std::string> fields;   // decoded UTF-8, quotes removed
  std::string text;                  // original record text in UTF-8, without its line break
  std::optional<Error> error;        // set when the record could not be read cleanly
  // True when every field is empty (an empty line, or ",,," that Excel writes for a formatted row).
  bool blank() const;
};

class CsvReader {
 public:
  // Opens a file; fails only when it cannot be opened or is UTF-16 ("csv.open", "encoding.utf16").
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, CsvOptions options = {});
  // Reads from a string held by the reader (tests, uploads).
  static Result<std::unique_ptr<CsvReader>> FromString(std::string bytes, CsvOptions options = {});
  static Result<std::unique_ptr<CsvReader>> FromStream(std::unique_ptr<std::istream> in, CsvOptions options = {});

  // Reads the next record into `rec` (reusing its storage); false at the end of the input.
  bool Next(CsvRecord& rec);

  // The encoding in use: kAuto until the first non-ASCII byte has been seen.
  Encoding encoding() const { return encoding_; }
  bool had_bom() const { return bom_; }
  std::int64_t bytes_read() const { return consumed_total_; }

 private:
  CsvReader(std::unique_ptr<std::istream> in, CsvOptions options);
  Status Start();
  bool Fill();  // appends a chunk to buf_; false at end of input
  void Decide();
  // Scans one record starting at pos_. Returns false when more input is needed.
  enum class Scan { kDone, kNeedMore, kEnd };
  Scan ScanRecord(CsvRecord& rec, bool at_eof);
  void Decode(CsvRecord& rec, std::size_t begin, std::size_t end);

  std::unique_ptr<std::istream> in_;
  CsvOptions opt_;
  Encoding encoding_;
  bool bom_ = false;
  bool eof_ = false;
  std::string buf_;
  std::size_t pos_ = 0;
  std::int64_t row_ = 0;
  std::int64_t line_ = 1;
  std::int64_t consumed_total_ = 0;
  // Raw field boundaries of the record being scanned: [begin, end) in buf_, quoted flag.
  struct RawField {
    std::size_t begin, end;
    bool quoted;
  };
  std::vector<RawField> raw_;
  std::string scratch_;
};

// Splits one line of CSV text (no line breaks outside quotes expected); for tests and small inputs.
std::vector<std::string> SplitCsvLine(std::string_view line, char delimiter = ',');

}  // namespace suiji::import
