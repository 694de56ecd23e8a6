// Importing a register (entities, officers, items, org units): the one use case the CLI's
// `suiji import KIND FILE` and the REST upload `POST /api/v1/registers/{kind}` both call.
//
// All or nothing by default: the file is validated and written inside one transaction; any rejected
// row rolls everything back (committed == false, the report says why). With skip_invalid the valid
// rows are written and each rejected row goes to on_reject. Always rows read = valid + rejected.
// Re-importing the same file changes nothing; entities re-register (换照) before each batch's upsert
// (store::EntityStore::Reregister). One `import.<kind>` audit event summarises a committed import.
// Reading, validating and preparing run on a second thread (import::Prefetcher), overlapping writes.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/region.h"
#include "core/result.h"
#include "data/import/importer.h"
#include "data/import/report.h"
#include "data/store/database.h"
#include "data/store/entity_store.h"
#include "data/store/table.h"

namespace suiji::app {

enum class Register { kEntities, kOfficers, kItems, kOrgUnits };
// "entities" | "officers" | "items" | "org-units"; false for another name.
bool ParseRegister(const std::string& name, Register* out);
const char* RegisterName(Register r);

struct RegisterImportOptions {
  import::ImportOptions import;  // org_units is filled in here for officers and org units
  bool skip_invalid = false;
  std::size_t batch = 10000;
  std::string actor = "cli";
  std::string source_label;  // recorded in the audit event ("file": the path, or "upload")
  // The header as in the file, then each rejected row (for a rejects file).
  std::function<void(const std::vector<std::string>& header)> on_header;
  std::function<void(const import::RejectedRow&)> on_reject;
  std::function<void(std::int64_t rows_read)> on_progress;
};

struct RegisterImport {
  import::ImportReport report;
  store::UpsertCounts counts;
  std::vector<store::Reregistration> reregistered;
  std::int64_t rekeyed = 0;  // re-registrations done (without conflict)
  bool committed = false;    // false: rows were rejected in all-or-nothing mode, nothing written
};

// `path` names a file; errors are file-level (csv.open, header.*) or the store's.
Result<RegisterImport> ImportRegisterFile(store::Database& db, const RegionTable& regions, Register kind,
                                          const std::string& path, const RegisterImportOptions& options);
Result<RegisterImport> ImportRegisterText(store::Database& db, const RegionTable& regions, Register kind,
                                          std::string csv, const RegisterImportOptions& options);

}  // namespace suiji::app
