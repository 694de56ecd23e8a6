// libFuzzer target: the register CSV reader with encoding detection (data/import/csv_reader.h,
// encoding.h) and the entity importer's row validation (data/import/importer.h, validate.h), on any
// bytes taken as a whole file. What it asserts:
//   1. Encodings: ValidUtf8Prefix/IsValidUtf8 agree; Utf8Lossy always gives valid UTF-8 (the input
//      itself when it is valid); valid UTF-8 converts to GB18030 and back unchanged; GB18030 that
//      decodes gives valid UTF-8, and Gb18030ToUtf8Lossy equals it.
//   2. CsvReader (auto-detected): rows strictly increase, lines never go back, every field and the
//      record text are valid UTF-8, and the reader ends. With the encoding forced (the one detected,
//      or UTF-8 for ASCII), reading in 1-to-64-byte chunks gives the same records as one big chunk.
//   3. A file read without errors, written back with CsvWriter, reads back to the same fields.
//   4. EntityImporter on the bytes, and on the bytes under the real entity header: the report is
//      consistent (rows_read = rows_valid + rows_rejected), every accepted entity has an id that
//      ParseEntityId accepts with the same kind, a region in the table and a valid industry code (or
//      none), and the accepted entities exported (ExportHeader/ExportRow) re-import to the same
//      entities (the importer's promise "an export re-imports unchanged"; repairs aside).
// fuzz-sources: data/import/csv_reader.cpp data/import/csv_writer.cpp data/import/duplicate_index.cpp data/import/encoding.cpp data/import/importer.cpp data/import/record_import.cpp data/import/report_format.cpp data/import/row_intake.cpp data/import/schema.cpp data/import/validate.cpp data/import/values.cpp core/identifiers.cpp core/region.cpp core/date.cpp core/entity_types.cpp core/org_units.cpp core/calendar.cpp core/result_codes.cpp core/sha256.cpp
// fuzz-libs: -lcrypto
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "core/identifiers.h"
#include "core/region.h"
#include "data/import/csv_reader.h"
#include "data/import/csv_writer.h"
#include "data/import/encoding.h"
#include "data/import/importer.h"
#include "tests/fuzz/fuzz_util.h"

namespace imp = suiji::import;
using suiji::fuzz::Check;

namespace {

void CheckEncodings(const std::string& s) {
  const std::size_t prefix = imp::ValidUtf8Prefix(s);
  Check(prefix <= s.size(), "ValidUtf8Prefix beyond the input");
  Check(imp::IsValidUtf8(s) == (prefix == s.size()), "IsValidUtf8 and ValidUtf8Prefix disagree");
  Check(imp::IsValidUtf8(s.substr(0, prefix)), "the valid prefix is not valid");
  Check(imp::ValidUtf8Prefix(s, true) >= prefix, "allowing a truncated tail shortens the valid prefix");
  const std::string lossy = imp::Utf8Lossy(s);
  Check(imp::IsValidUtf8(lossy), "Utf8Lossy gives invalid UTF-8");
  if (imp::IsValidUtf8(s)) {
    Check(lossy == s, "Utf8Lossy changes valid UTF-8");
    auto gb = imp::Utf8ToGb18030(s);
    Check(gb.ok(), "valid UTF-8 does not convert to GB18030");
    auto back = imp::Gb18030ToUtf8(gb.value());
    Check(back.ok() && back.value() == s, "UTF-8 -> GB18030 -> UTF-8 is not the identity");
  } else {
    Check(!imp::Utf8ToGb18030(s).ok(), "invalid UTF-8 converted to GB18030");
  }
  auto dec = imp::Gb18030ToUtf8(s);
  const std::string dec_lossy = imp::Gb18030ToUtf8Lossy(s);
  Check(imp::IsValidUtf8(dec_lossy), "Gb18030ToUtf8Lossy gives invalid UTF-8");
  if (dec.ok()) {
    Check(imp::IsValidUtf8(dec.value()), "Gb18030ToUtf8 gives invalid UTF-8");
    Check(dec_lossy == dec.value(), "Gb18030ToUtf8Lossy differs from Gb18030ToUtf8 on decodable bytes");
  }
}

struct Read {
  bool opened = false;
  imp::Encoding encoding = imp::Encoding::kAuto;
  bool errors = false;
  std::vector<imp::CsvRecord> records;
};

Read ReadAll(const std::string& bytes, imp::CsvOptions opt) {
  Read out;
  auto r = imp::CsvReader::FromString(bytes, opt);
  if (!r.ok()) return out;
  out.opened = true;
  imp::CsvRecord rec;
  std::int64_t last_row = 0, last_line = 0;
  std::size_t n = 0;
  while (r.value()->Next(rec)) {
    Check(++n <= bytes.size() + 1, "more records than bytes");
    Check(rec.row > last_row, "rows do not increase");
    Check(rec.line >= last_line, "lines go back");
    last_row = rec.row;
    last_line = rec.line;
    for (const auto& f : rec.fields) Check(imp::IsValidUtf8(f), "a field is not valid UTF-8");
    Check(imp::IsValidUtf8(rec.text), "a record's text is not valid UTF-8");
    if (rec.error) out.errors = true;
    out.records.push_back(rec);
  }
  out.encoding = r.value()->encoding();
  return out;
}

void Print(const char* label, const imp::CsvRecord& r) {
  std::fprintf(stderr, "%s: row %lld line %lld error %s text '%s' fields", label, static_cast<long long>(r.row),
               static_cast<long long>(r.line), r.error ? r.error->code.c_str() : "-", r.text.c_str());
  for (const auto& f : r.fields) std::fprintf(stderr, " [%s]", f.c_str());
  std::fprintf(stderr, "\n");
}

bool SameRecords(const Read& a, const Read& b) {
  for (std::size_t i = 0; i < a.records.size() && i < b.records.size(); ++i) {
    const auto &x = a.records[i], &y = b.records[i];
    if (x.row != y.row || x.line != y.line || x.fields != y.fields || x.text != y.text ||
        x.error.has_value() != y.error.has_value() || (x.error && x.error->code != y.error->code)) {
      Print("one chunk", x);
      Print("small chunks", y);
      return false;
    }
  }
  if (a.records.size() != b.records.size()) {
    std::fprintf(stderr, "%zu records in one chunk, %zu in small chunks\n", a.records.size(), b.records.size());
    return false;
  }
  return true;
}

void CheckReader(const std::string& bytes, std::uint8_t knob) {
  imp::CsvOptions opt;
  Read whole = ReadAll(bytes, opt);
  if (!whole.opened) return;
  // Forced encoding: the chunk size must not matter.
  opt.encoding = whole.encoding == imp::Encoding::kAuto ? imp::Encoding::kUtf8 : whole.encoding;
  Read forced = ReadAll(bytes, opt);
  opt.chunk_bytes = 1 + knob % 64;
  Read chunked = ReadAll(bytes, opt);
  Check(forced.opened == chunked.opened, "chunk size changes whether the file opens");
  Check(SameRecords(forced, chunked), "chunk size changes the records read");
  // Round trip through the writer.
  if (whole.errors || whole.records.empty()) return;
  std::ostringstream out;
  imp::CsvWriter w(out);
  for (const auto& r : whole.records) w.Row(r.fields);
  Read again = ReadAll(out.str(), imp::CsvOptions{});
  Check(again.opened && !again.errors, "a written file does not read back cleanly");
  // Excel rows: an all-empty record written back is an empty line, read as one empty field.
  auto fields = [](const imp::CsvRecord& r) {
    return r.blank() ? std::vector<std::string>{} : r.fields;
  };
  Check(again.records.size() == whole.records.size(), "a written file reads back a different number of records");
  for (std::size_t i = 0; i < whole.records.size(); ++i)
    Check(fields(again.records[i]) == fields(whole.records[i]), "a written file reads back different fields");
}

std::vector<suiji::Entity> Import(const std::string& bytes, bool* ok) {
  std::vector<suiji::Entity> all;
  imp::ImportOptions opt;
  opt.duplicate_memory_keys = 64;
  auto im = imp::EntityImporter::FromString(bytes, suiji::fuzz::ShippedRegions(), opt);
  *ok = im.ok();
  if (!im.ok()) return all;
  std::vector<suiji::Entity> batch;
  while (im.value().NextBatch(batch, 7))
    for (auto& e : batch) all.push_back(std::move(e));
  const auto& rep = im.value().report();
  Check(rep.consistent(), "import report: rows_read != rows_valid + rows_rejected");
  Check(rep.records_valid == static_cast<std::int64_t>(all.size()), "records_valid differs from the entities returned");
  for (const auto& e : all) {
    auto id = suiji::ParseEntityId(e.id.value);
    Check(id.ok() && id.value().kind == e.id.kind && id.value().value == e.id.value, "an accepted entity's id does not parse");
    Check(suiji::fuzz::ShippedRegions().Contains(e.region), "an accepted entity's region is not in the table");
    Check(e.industry.empty() || suiji::ValidateIndustryCode(e.industry).ok(), "an accepted entity's industry code is invalid");
  }
  return all;
}

void CheckImport(const std::string& bytes) {
  bool ok = false;
  std::vector<suiji::Entity> first = Import(bytes, &ok);
  if (first.empty()) return;
  std::ostringstream out;
  imp::CsvWriter w(out);
  w.Row(imp::ExportHeader(imp::RegisterKind::kEntities));
  for (const auto& e : first) w.Row(imp::ExportRow(e));
  std::vector<suiji::Entity> second = Import(out.str(), &ok);
  Check(ok, "an export does not open as an entity register");
  Check(second.size() == first.size(), "an export re-imports a different number of entities");
  for (std::size_t i = 0; i < first.size(); ++i) {
    suiji::Entity a = first[i], b = second[i];
    a.repairs.clear();
    b.repairs.clear();
    if (!(a == b)) {
      auto show = [](const char* what, const std::string& x, const std::string& y) {
        if (x != y) std::fprintf(stderr, "  %s: '%s' re-imports as '%s'\n", what, x.c_str(), y.c_str());
      };
      std::fprintf(stderr, "entity %zu:\n", i);
      show("id", a.id.value, b.id.value);
      show("regno", a.regno, b.regno);
      show("name", a.name, b.name);
      show("entity_type", a.entity_type, b.entity_type);
      show("type_code", a.type_code, b.type_code);
      show("type_label", a.type_label, b.type_label);
      show("region", a.region, b.region);
      show("industry", a.industry, b.industry);
      show("status", a.status, b.status);
      show("status_label", a.status_label, b.status_label);
      show("established", a.established, b.established);
      show("address", a.address, b.address);
      show("legal_rep", a.legal_rep, b.legal_rep);
      if (a.special_registers != b.special_registers) std::fprintf(stderr, "  special_registers differ\n");
      Check(false, "an exported entity re-imports different");
    }
  }
}

const char kEntityHeader[] =
    "统一社会信用代码,名称,登记机关区划,行业代码,企业类型,登记状态,成立日期,住所,法定代表人,特殊名录,注册号,企业类型代码\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  CheckEncodings(bytes);
  CheckReader(bytes, size ? data[size - 1] : 0);
  CheckImport(bytes);
  if (bytes.rfind(kEntityHeader, 0) == std::string::npos &&
      bytes.rfind("\xEF\xBB\xBF" + std::string(kEntityHeader), 0) == std::string::npos)
    CheckImport(kEntityHeader + bytes);
  return 0;
}
