// Importer<T>: streams a register CSV as batches of validated domain values plus a complete report.
//
//   auto imp = EntityImporter::Open("entities.csv", regions);    // header checked here
//   if (!imp.ok()) { /* file-level error: imp.error() */ }
//   std::ofstream rej("entities.rejects.csv");
//   RejectsWriter rw(rej, imp.value().report().header);
//   imp.value().OnReject([&](const RejectedRow& r) { rw.Write(r); });
//   std::vector<Entity> batch;
//   while (imp.value().NextBatch(batch, 10000)) store.Insert(batch);
//   const ImportReport& rep = imp.value().report();              // rows_read == valid + rejected
//
// Memory stays flat in the file size: the reader holds one chunk and one record; batches are as large
// as the caller asks. The duplicate index (data/import/duplicate_index.h, exact over a 64-bit hash of
// each accepted key) keeps at most duplicate_memory_keys keys in memory (~24 bytes each, ~6.3 MB at
// the default) and spills the rest as sorted runs to anonymous temp files ($TMPDIR, else /tmp), of
// which only a Bloom filter stays in memory (~1.3 bytes per spilled key): ~7.5 MB for 10^6 rows,
// ~27 MB peak for 10^7. If no temp file can be written it keeps the keys in memory instead (nothing lost).
// If a spilled run cannot be read back (an I/O error), the row being checked is rejected with
// "<kind>.duplicate_check". Turn the check off with check_duplicates = false.
// Duplicates within the file: the first row wins; each later row is rejected with code
// "<kind>.duplicate" and `other_row` set to the first row, so both rows are named.
// Keys: entity id; officer cert_no; item department + code; org unit code.
//
// Org units (docs/org-units.md) are checked as one tree over ImportOptions::org_units and the whole
// file (core/org_units.h: one root, known parents, no cycle, levels and regions below the parent's),
// so the file is read whole before the first unit is handed out; a register of units is small. A
// unit the tree refuses is rejected with its row; a unit whose parent was rejected is rejected too
// (org_unit.parent_rejected), so what is accepted is always a valid tree with the stored units.
//
// Inspection items come in two shapes, told apart by the header (a 序号 column means the government
// list shape; see docs/data-formats.md): blank cells continue the value above (merged cells), a row
// with a blank 序号 continues the item above with another 检查依据 (legal basis) line. An item is
// accepted or rejected as a whole, with all of its rows.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/region.h"
#include "core/result.h"
#include "data/import/csv_reader.h"
#include "data/import/report.h"
#include "data/import/schema.h"

namespace suiji::import {

struct ImportOptions {
  CsvOptions csv;
  std::size_t max_errors_kept = 1000;  // per list (errors, warnings); counts stay complete
  bool check_duplicates = true;
  std::size_t duplicate_memory_keys = 1 << 18;  // keys the duplicate index holds in memory before spilling
  std::string default_region;  // entities: the region of rows that have none (`--region`); Open validates it
  // The org units already stored. Officers: when non-empty, each officer's org unit must be one of
  // them (org_unit.unknown). Org units: the tree the file's units are checked against (see below).
  std::vector<OrgUnit> org_units;
};

template <typename T>
class Importer {
 public:
  // `regions` must outlive the importer. Fails on: csv.open, encoding.utf16, header.empty,
  // header.missing, header.duplicate, csv.encoding in the header row.
  static Result<Importer> Open(const std::string& path, const RegionTable& regions, ImportOptions options = {});
  static Result<Importer> FromString(std::string csv, const RegionTable& regions, ImportOptions options = {});

  Importer(Importer&&) noexcept;
  Importer& operator=(Importer&&) noexcept;
  ~Importer();

  // Called for every rejected row, in file order (write a rejects file with RejectsWriter).
  void OnReject(std::function<void(const RejectedRow&)> sink);
  // Replaces `out` with up to `max_records` accepted values; false (and `out` empty) when done.
  bool NextBatch(std::vector<T>& out, std::size_t max_records = 10000);

  const ImportReport& report() const;
  const HeaderMap& header() const;

  struct Impl;

 private:
  explicit Importer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Prefetcher (data/import/prefetcher.h) runs an Importer on a second thread.

using EntityImporter = Importer<Entity>;
using OfficerImporter = Importer<Officer>;
using ItemImporter = Importer<InspectionItem>;
using OrgUnitImporter = Importer<OrgUnit>;

}  // namespace suiji::import
