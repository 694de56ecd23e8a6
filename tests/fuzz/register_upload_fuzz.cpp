// libFuzzer target: the CSV bodies of the register uploads (POST /api/v1/officers | items | org-units,
// api/rest/uploads.cpp, which hands them to the importers of data/import/importer.h exactly as
// `suiji import` does) and of the record imports (data/import/record_import.h: results, penalties, list
// decisions, external indicators, annual reports, repairs, complaints), at the level below the
// database: the importer's header mapping and row validation. (Entities: tests/fuzz/csv_import_fuzz.cpp.
// No route takes multipart/form-data: an upload's body is the file; evidence is stored as sent.)
// Input: the first byte picks the format (low nibble, 11 formats) and whether the real header is put
// before the rest (bit 4) and, for officers, whether the stored org units of data/examples are known
// (bit 5: then an officer's unit must be one of them). What it asserts, for every format:
//   1. The report is consistent (rows_read = rows_valid + rows_rejected; records_valid = the values
//      returned); every rejected row reaches the reject sink once, in increasing row order, with at
//      least one error, each of that row (items: of the item's rows) with a code and a reason; every kept
//      error has a code and a reason.
//   2. Registers: accepted keys are unique (officer cert_no, item department + code, unit code); officers
//      have a unit among the known ones when they are given (or none: the column is optional), a status of the vocabulary; org units
//      accepted form a valid tree (OrgUnits::Build). Exported (ExportHeader/ExportRow, CsvWriter), the
//      accepted values re-import to the same values.
//   3. Records: accepted rows carry canonical values (vocabularies, dates, amounts and decimals are
//      fixed points of their normalisers) and an entity the register knows; written back as CSV under the
//      canonical English header, they re-import to the same rows.
// fuzz-sources: data/import/csv_reader.cpp data/import/csv_writer.cpp data/import/duplicate_index.cpp data/import/encoding.cpp data/import/importer.cpp data/import/record_import.cpp data/import/report_format.cpp data/import/row_intake.cpp data/import/schema.cpp data/import/validate.cpp data/import/values.cpp core/identifiers.cpp core/region.cpp core/date.cpp core/entity_types.cpp core/org_units.cpp core/calendar.cpp core/result_codes.cpp core/sha256.cpp
// fuzz-libs: -lcrypto
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/date.h"
#include "core/identifiers.h"
#include "core/org_units.h"
#include "data/import/csv_writer.h"
#include "data/import/importer.h"
#include "data/import/record_import.h"
#include "tests/fuzz/fuzz_util.h"

namespace imp = suiji::import;
using suiji::fuzz::Check;

namespace {

std::string ReadRepo(const std::string& rel) {
  std::FILE* f = std::fopen(suiji::fuzz::RepoPath(rel).c_str(), "rb");
  Check(f != nullptr, "cannot read a file of data/examples");
  std::string s;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n') + 1); }

// The org units of data/examples/registers/org_units.csv, as stored ones.
const std::vector<suiji::OrgUnit>& StoredUnits() {
  static const std::vector<suiji::OrgUnit> units = [] {
    auto im = imp::OrgUnitImporter::FromString(ReadRepo("data/examples/registers/org_units.csv"), suiji::fuzz::ShippedRegions());
    Check(im.ok(), "data/examples/registers/org_units.csv does not open");
    std::vector<suiji::OrgUnit> all, batch;
    while (im.value().NextBatch(batch, 100)) all.insert(all.end(), batch.begin(), batch.end());
    Check(!all.empty(), "no org units in data/examples");
    return all;
  }();
  return units;
}

struct Sink {
  bool multi_row = false;  // items: an item's rows are rejected together, an error may name another of them
  std::int64_t last_row = 0, count = 0;
  void operator()(const imp::RejectedRow& r) {
    Check(r.row > last_row, "rejected rows are not in increasing row order");
    last_row = r.row;
    ++count;
    Check(!r.errors.empty(), "a rejected row without an error");
    for (const auto& e : r.errors) {
      Check(multi_row || e.row == r.row, "a rejected row's error names another row");
      Check(!e.code.empty() && !e.reason.empty(), "a rejected row's error without a code or reason");
    }
  }
};

void CheckReport(const imp::ImportReport& rep, std::size_t values, const Sink& sink) {
  Check(rep.consistent(), "import report: rows_read != rows_valid + rows_rejected");
  Check(rep.records_valid == static_cast<std::int64_t>(values), "records_valid differs from the values returned");
  Check(sink.count == rep.rows_rejected || rep.register_kind == "items" || rep.register_kind == "items_gov",
        "the reject sink did not see every rejected row");
  for (const auto& e : rep.errors) Check(!e.code.empty() && !e.reason.empty(), "a kept error without a code or reason");
}

// ---- registers ----

template <class T>
std::vector<T> ImportRegister(const std::string& csv, const imp::ImportOptions& o, bool* opened) {
  std::vector<T> all, batch;
  auto im = imp::Importer<T>::FromString(csv, suiji::fuzz::ShippedRegions(), o);
  *opened = im.ok();
  if (!im.ok()) {
    Check(!im.error().code.empty() && !im.error().message.empty(), "a file-level error without a code or message");
    return all;
  }
  Sink sink;
  sink.multi_row = std::is_same_v<T, suiji::InspectionItem>;
  im.value().OnReject([&](const imp::RejectedRow& r) { sink(r); });
  while (im.value().NextBatch(batch, 5)) all.insert(all.end(), batch.begin(), batch.end());
  CheckReport(im.value().report(), all.size(), sink);
  return all;
}

auto Key(const suiji::Officer& o) { return o.cert_no; }
auto Key(const suiji::InspectionItem& i) { return i.department + "\x1f" + i.code; }
auto Key(const suiji::OrgUnit& u) { return u.code; }

template <class T>
void CheckRegister(imp::RegisterKind kind, imp::RegisterKind export_kind, const std::string& csv, const imp::ImportOptions& o) {
  bool opened = false;
  std::vector<T> first = ImportRegister<T>(csv, o, &opened);
  std::set<std::string> keys;
  for (const auto& v : first) Check(keys.insert(Key(v)).second, "two accepted values with the same key");
  if constexpr (std::is_same_v<T, suiji::Officer>) {
    for (const auto& x : first) {
      Check(x.status == "active" || x.status == "suspended" || x.status == "retired", "an officer status off the vocabulary");
      Check(!x.cert_no.empty(), "an officer without a certificate number");
      if (!o.org_units.empty() && !x.org_unit.empty()) {  // the unit column is optional
        bool known = false;
        for (const auto& u : o.org_units) known = known || u.code == x.org_unit;
        if (!known) std::fprintf(stderr, "officer %s: org unit '%s'\n", x.cert_no.c_str(), x.org_unit.c_str());
        Check(known, "an officer of an unknown org unit accepted");
      }
    }
  }
  if constexpr (std::is_same_v<T, suiji::OrgUnit>) {
    if (!first.empty()) Check(suiji::OrgUnits::Build(first).ok(), "accepted org units do not form a valid tree");
  }
  (void)kind;
  if (first.empty()) return;
  std::ostringstream out;
  imp::CsvWriter w(out);
  w.Row(imp::ExportHeader(export_kind));
  for (const auto& v : first) w.Row(imp::ExportRow(v));
  std::vector<T> second = ImportRegister<T>(out.str(), o, &opened);
  Check(opened, "an export does not open");
  if (second.size() != first.size()) {
    std::fprintf(stderr, "%zu values export and re-import as %zu\n--- export:\n%s\n", first.size(), second.size(),
                 out.str().c_str());
    Check(false, "an export re-imports a different number of values");
  }
  for (std::size_t i = 0; i < first.size(); ++i)
    if (!(first[i] == second[i])) {
      std::fprintf(stderr, "value %zu (key %s) re-imports different\n--- export:\n%s\n", i, Key(first[i]).c_str(),
                   out.str().c_str());
      Check(false, "an exported value re-imports different");
    }
}

// ---- records ----

// The register's entities: ids whose digits sum is not a multiple of 5 (so some valid ids are unknown).
bool Known(std::string_view id) {
  auto p = suiji::ParseEntityId(id);
  if (!p.ok() || p.value().value != id) return false;
  unsigned sum = 0;
  for (char c : id) sum += static_cast<unsigned char>(c);
  return sum % 5 != 0;
}

bool CanonicalDate(const std::string& s, bool optional) {
  if (s.empty()) return optional;
  auto d = suiji::ParseDate(s);
  return d.ok() && suiji::FormatDate(d.value()) == s;
}

template <class F>
bool Fixed(F normalise, const std::string& v) {
  auto n = normalise(v);
  return n.ok() && n.value() == v;
}

std::vector<std::string> Fields(const imp::ResultRow& r) {
  std::string officers;
  for (const auto& o : r.officers) officers += (officers.empty() ? "" : ";") + o;
  return {r.entity_id, r.department, r.inspected_on, r.result, officers, r.plan_id};
}
std::vector<std::string> Fields(const imp::PenaltyRow& r) {
  return {r.decision_no, r.entity_id, r.department, r.penalty_type, r.decided_on, r.amount, r.legal_basis};
}
std::vector<std::string> Fields(const imp::ListDecisionRow& r) {
  return {r.id, r.entity_id, r.list, r.reason, r.listed_on, r.authority, r.cause_fixed_on, r.removed_on, r.removal_reason,
          r.removal_authority};
}
std::vector<std::string> Fields(const imp::ExternalRow& r) { return {r.entity_id, r.source, r.name, r.as_of, r.value}; }
std::vector<std::string> Fields(const imp::AnnualReportRow& r) { return {r.entity_id, r.year, r.filed_on}; }
std::vector<std::string> Fields(const imp::RepairRow& r) {
  return {r.decision_no, r.membership_id, r.entity_id, r.list, r.decided_on, r.authority, r.outcome, r.reason};
}
std::vector<std::string> Fields(const imp::ComplaintRow& r) {
  return {r.reference_no, r.entity_id, r.received_on, r.substantiated, r.concluded_on, r.source, r.department};
}

void CheckRow(const imp::ResultRow& r) {
  Check(Known(r.entity_id), "a result of an unknown entity");
  Check(CanonicalDate(r.inspected_on, false), "a result's date is not canonical");
  Check(Fixed(imp::NormalizeInspectionResult, r.result), "a result off its vocabulary");
}
void CheckRow(const imp::PenaltyRow& r) {
  Check(Known(r.entity_id), "a penalty of an unknown entity");
  Check(!r.decision_no.empty(), "a penalty without a decision number");
  Check(CanonicalDate(r.decided_on, false), "a penalty's date is not canonical");
  Check(Fixed(imp::NormalizePenaltyType, r.penalty_type), "a penalty type off its vocabulary");
  Check(Fixed(imp::NormalizeAmount, r.amount), "a penalty amount not canonical");
}
void CheckRow(const imp::ListDecisionRow& r) {
  Check(Known(r.entity_id), "a list decision of an unknown entity");
  Check(Fixed(imp::NormalizeListKind, r.list), "a list off its vocabulary");
  Check(CanonicalDate(r.listed_on, false) && CanonicalDate(r.cause_fixed_on, true) && CanonicalDate(r.removed_on, true),
        "a list decision's dates are not canonical");
}
void CheckRow(const imp::ExternalRow& r) {
  Check(Known(r.entity_id), "an indicator value of an unknown entity");
  Check(CanonicalDate(r.as_of, false), "an indicator date is not canonical");
  Check(Fixed(imp::NormalizeDecimal, r.value), "an indicator value not canonical");
}
void CheckRow(const imp::AnnualReportRow& r) {
  Check(Known(r.entity_id), "an annual report of an unknown entity");
  Check(CanonicalDate(r.filed_on, false), "an annual report's filing date is not canonical");
}
void CheckRow(const imp::RepairRow& r) {
  Check(CanonicalDate(r.decided_on, false), "a repair's date is not canonical");
  Check(r.outcome == "granted" || r.outcome == "refused", "a repair outcome off its vocabulary");
}
void CheckRow(const imp::ComplaintRow& r) {
  Check(Known(r.entity_id), "a complaint about an unknown entity");
  Check(CanonicalDate(r.received_on, false) && CanonicalDate(r.concluded_on, true), "a complaint's dates are not canonical");
  Check(r.concluded_on.empty() || r.concluded_on >= r.received_on, "a complaint concluded before it was received");
  Check(Fixed(imp::NormalizeSubstantiated, r.substantiated), "a complaint's finding off its vocabulary");
}

template <class T>
std::vector<T> ImportRecords(const std::string& csv, bool* opened) {
  std::vector<T> all, batch;
  imp::ImportOptions o;
  o.duplicate_memory_keys = 64;
  auto im = imp::RecordImporter<T>::FromString(csv, imp::KnownEntity(Known), o);
  *opened = im.ok();
  if (!im.ok()) {
    Check(!im.error().code.empty() && !im.error().message.empty(), "a file-level error without a code or message");
    return all;
  }
  Sink sink;
  im.value().OnReject([&](const imp::RejectedRow& r) { sink(r); });
  while (im.value().NextBatch(batch, 5)) all.insert(all.end(), batch.begin(), batch.end());
  CheckReport(im.value().report(), all.size(), sink);
  return all;
}

template <class T>
void CheckRecords(imp::RecordKind kind, const std::string& csv) {
  bool opened = false;
  std::vector<T> first = ImportRecords<T>(csv, &opened);
  for (const auto& r : first) CheckRow(r);
  if (first.empty() || kind == imp::RecordKind::kRepairs) return;  // repairs resolve memberships (none here)
  std::ostringstream out;
  imp::CsvWriter w(out);
  std::vector<std::string> header;
  for (const auto& f : imp::RecordSchema(kind)) header.push_back(f.name);
  w.Row(header);
  for (const auto& r : first) w.Row(Fields(r));
  std::vector<T> second = ImportRecords<T>(out.str(), &opened);
  Check(opened, "written records do not open");
  if (second.size() != first.size()) {
    std::fprintf(stderr, "%zu rows write and re-import as %zu\n--- written:\n%s\n", first.size(), second.size(),
                 out.str().c_str());
    Check(false, "written records re-import a different number of rows");
  }
  for (std::size_t i = 0; i < first.size(); ++i)
    if (!(first[i] == second[i])) {
      std::fprintf(stderr, "row %zu re-imports different\n--- written:\n%s\n", i, out.str().c_str());
      Check(false, "a written record re-imports different");
    }
}

struct Format {
  const char* example;  // its header is the real one
};
const Format kFormats[] = {
    {"data/examples/registers/officers.csv"},  {"data/examples/registers/items.csv"},
    {"data/examples/registers/items_gov.csv"}, {"data/examples/registers/org_units.csv"},
    {"data/examples/credit/results.csv"},      {"data/examples/credit/penalties.csv"},
    {"data/examples/credit/lists.csv"},        {nullptr},
    {nullptr},                                 {"data/examples/credit/repairs.csv"},
    {"data/examples/credit/complaints.csv"},
};
constexpr int kNumFormats = sizeof kFormats / sizeof kFormats[0];

std::string Header(int format) {
  static std::vector<std::string> headers = [] {
    std::vector<std::string> h;
    for (const auto& f : kFormats) h.push_back(f.example ? FirstLine(ReadRepo(f.example)) : "");
    // External indicators and annual reports have no example file: their canonical English headers.
    for (int i : {7, 8}) {
      auto kind = i == 7 ? imp::RecordKind::kExternal : imp::RecordKind::kAnnualReports;
      std::string line;
      for (const auto& f : imp::RecordSchema(kind)) line += (line.empty() ? "" : ",") + f.name;
      h[i] = line + "\n";
    }
    return h;
  }();
  return headers[format];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int format = (data[0] & 0x0F) % kNumFormats;
  std::string csv(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 0x10) csv = Header(format) + csv;
  imp::ImportOptions o;
  o.duplicate_memory_keys = 64;
  switch (format) {
    case 0:
      if (data[0] & 0x20) o.org_units = StoredUnits();
      CheckRegister<suiji::Officer>(imp::RegisterKind::kOfficers, imp::RegisterKind::kOfficers, csv, o);
      break;
    case 1: CheckRegister<suiji::InspectionItem>(imp::RegisterKind::kItems, imp::RegisterKind::kItems, csv, o); break;
    case 2: CheckRegister<suiji::InspectionItem>(imp::RegisterKind::kItemsGov, imp::RegisterKind::kItems, csv, o); break;
    case 3: CheckRegister<suiji::OrgUnit>(imp::RegisterKind::kOrgUnits, imp::RegisterKind::kOrgUnits, csv, o); break;
    case 4: CheckRecords<imp::ResultRow>(imp::RecordKind::kResults, csv); break;
    case 5: CheckRecords<imp::PenaltyRow>(imp::RecordKind::kPenalties, csv); break;
    case 6: CheckRecords<imp::ListDecisionRow>(imp::RecordKind::kLists, csv); break;
    case 7: CheckRecords<imp::ExternalRow>(imp::RecordKind::kExternal, csv); break;
    case 8: CheckRecords<imp::AnnualReportRow>(imp::RecordKind::kAnnualReports, csv); break;
    case 9: CheckRecords<imp::RepairRow>(imp::RecordKind::kRepairs, csv); break;
    default: CheckRecords<imp::ComplaintRow>(imp::RecordKind::kComplaints, csv); break;
  }
  return 0;
}
