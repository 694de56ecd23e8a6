// suiji import entities|officers|items|org-units FILE   and   suiji export entities|officers|items|org-units FILE
//
// Import is all or nothing by default: the whole file is validated and written inside one
// transaction; any bad row rolls everything back and prints the full error report. With
// --skip-invalid the valid rows are imported and every rejected row goes, verbatim with its reasons,
// to the rejects file. Always: rows read = valid + rejected. Re-importing the same file changes
// nothing (upsert by identifier); each batch's new rows are one insert_batch audit event, each
// changed row one update event (see data/store/table.h).
// Reading, decoding, validating and preparing the file's batches for the store (row checks, key and
// row hashes, key order: store::Table::Prepare) run on a second thread (import::Prefetcher), up to
// two batches ahead of the database writes, so all of that overlaps the server's COPY.
// Org units are checked as one tree with the units already stored, and officers' org units against
// them once any are stored (docs/org-units.md).
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>

#include "api/app/registers.h"
#include "api/cli/support.h"
#include "core/region.h"
#include "data/import/csv_writer.h"
#include "data/store/audit_log.h"
#include "data/store/entity_store.h"
#include "data/store/item_store.h"
#include "data/store/officer_store.h"
#include "data/store/org_unit_store.h"

namespace {

using namespace suiji;
using suiji::cli::Fail;

struct ImportArgs {
  std::string file;
  std::string rejects;
  std::string encoding = "auto";
  std::string actor = "cli";
  bool skip_invalid = false;
  std::size_t batch = 10000;
  std::string region;  // entities: --region CODE for rows without one
};


// Prints what app::ImportRegisterFile did, as the README and the tests know it.
void RunImport(const cli::Globals& g, const ImportArgs& a, app::Register kind) {
  const std::string name = app::RegisterName(kind);
  const std::string cmd = "import " + name;
  auto db = cli::OpenDb(g, cmd);
  auto regions = cli::Must(cmd, RegionTable::LoadDefault());
  app::RegisterImportOptions o;
  o.import.csv.encoding = cli::Must(cmd, import::ParseEncoding(a.encoding));
  o.import.default_region = a.region;
  o.skip_invalid = a.skip_invalid;
  o.batch = a.batch;
  o.actor = a.actor;
  o.source_label = a.file;
  std::ofstream rejects_file;
  std::optional<import::RejectsWriter> rejects;
  if (!a.rejects.empty()) {
    rejects_file.open(a.rejects, std::ios::binary | std::ios::trunc);
    if (!rejects_file) Fail(cmd, "cannot write rejects file " + a.rejects);
    o.on_header = [&](const std::vector<std::string>& header) { rejects.emplace(rejects_file, header); };
    o.on_reject = [&](const import::RejectedRow& r) { rejects->Write(r); };
  }
  const bool tty = isatty(STDERR_FILENO);
  if (tty) o.on_progress = [](std::int64_t n) { std::cerr << "\r  " << n << " rows read" << std::flush; };
  auto r = app::ImportRegisterFile(*db, regions, kind, a.file, o);
  if (tty) std::cerr << "\r";
  if (!r) Fail(cmd, r.error().code.rfind("header.", 0) == 0 || r.error().code == "csv.open" ||
                            r.error().code.rfind("encoding", 0) == 0
                        ? a.file + ": " + r.error().message
                        : r.error().message);
  const auto& rep = r->report;
  std::cout << a.file << " (" << rep.encoding << (rep.bom ? ", BOM" : "") << "): " << rep.rows_read
            << " rows read, " << rep.rows_valid << " valid, " << rep.rows_rejected << " rejected";
  if (rep.rows_flagged) std::cout << ", " << rep.rows_flagged << " flagged";
  std::cout << "\n";
  for (const auto& [code, n] : rep.warning_counts) std::cout << "  warning " << code << ": " << n << "\n";
  if (!r->committed) {
    std::cerr << "suiji " << cmd << ": nothing imported, " << rep.rows_rejected
              << " rows are invalid (fix them, or use --skip-invalid --rejects FILE):\n";
    cli::PrintRowErrors(rep, std::cerr);
    throw cli::CliExit{1};
  }
  const auto& counts = r->counts;
  std::cout << name << ": " << counts.inserted << " inserted, " << counts.updated << " updated, "
            << counts.unchanged << " unchanged";
  if (!r->reregistered.empty()) std::cout << ", " << r->rekeyed << " re-registered (换照)";
  std::cout << "\n";
  for (const auto& x : r->reregistered) {
    if (x.conflict.empty())
      std::cout << "  re-registered " << x.from << " -> " << x.to << " (" << x.records_moved << " records followed)\n";
    else
      std::cout << "  warning entity.reregister_conflict: " << x.from << " -> " << x.to << ": " << x.conflict << "\n";
  }
  if (rep.rows_rejected > 0) {
    std::cout << rep.rows_rejected << " rejected rows";
    if (!a.rejects.empty()) std::cout << " written with their reasons to " << a.rejects;
    std::cout << ":\n";
    cli::PrintRowErrors(rep, std::cout);
  }
}

template <typename Store>
void RunExport(const cli::Globals& g, const std::string& kind, import::RegisterKind rk, const std::string& file,
               bool bom, bool english) {
  const std::string cmd = "export " + kind;
  auto db = cli::OpenDb(g, cmd);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) Fail(cmd, "cannot write " + file);
  import::CsvWriter w(out, bom);
  w.Row(import::ExportHeader(rk, english ? import::HeaderStyle::kEnglish : import::HeaderStyle::kChinese));
  Store store(*db);
  cli::Must(cmd, store.ForEach([&](const auto& v) {
    w.Row(import::ExportRow(v));
    return true;
  }));
  out.flush();
  if (!out) Fail(cmd, "write failed: " + file);
  std::cout << kind << ": " << (w.rows() - 1) << " rows written to " << file << "\n";
}

}  // namespace

SUIJI_COMMAND(20) {
  auto* imp = app.add_subcommand("import", "import a register CSV (entities, officers, items, org-units)");
  imp->require_subcommand(1);
  auto args = std::make_shared<ImportArgs>();
  auto add = [&](const char* name, const char* help, std::function<void()> run) {
    auto* c = imp->add_subcommand(name, help);
    c->add_option("FILE", args->file, "CSV file (UTF-8 with or without BOM, or GBK/GB18030)")->required();
    c->add_flag("--skip-invalid", args->skip_invalid, "import the valid rows, reject the others");
    c->add_option("--rejects", args->rejects, "write rejected rows verbatim with their reasons to this CSV");
    c->add_option("--encoding", args->encoding, "auto (default), utf-8, gbk or gb18030");
    c->add_option("--actor", args->actor, "who is importing, recorded in the audit log");
    c->callback(std::move(run));
    return c;
  };
  auto* ent = add("entities", "检查对象名录库: market entities", [&globals, args] {
    RunImport(globals, *args, app::Register::kEntities);
  });
  ent->add_option("--region", args->region,
                  "GB/T 2260 code for rows with no region (else derived from the USCC or registration number)");
  add("officers", "执法检查人员名录库: enforcement officers", [&globals, args] {
    RunImport(globals, *args, app::Register::kOfficers);
  });
  add("items", "抽查事项清单: inspection items (simple or government list shape)", [&globals, args] {
    RunImport(globals, *args, app::Register::kItems);
  });
  add("org-units", "组织机构: the org-unit hierarchy, checked as one tree with the stored units", [&globals, args] {
    RunImport(globals, *args, app::Register::kOrgUnits);
  });

  auto* exp = app.add_subcommand("export", "export a register as CSV (re-importable)");
  exp->require_subcommand(1);
  struct ExportArgs {
    std::string file;
    bool bom = false, english = false;
  };
  auto ea = std::make_shared<ExportArgs>();
  auto addx = [&](const char* name, std::function<void()> run) {
    auto* c = exp->add_subcommand(name, std::string("export ") + name);
    c->add_option("FILE", ea->file, "output CSV (UTF-8)")->required();
    c->add_flag("--bom", ea->bom, "write a UTF-8 BOM so Excel opens it as UTF-8");
    c->add_flag("--english", ea->english, "English headers instead of Chinese");
    c->callback(std::move(run));
  };
  addx("entities", [&globals, ea] {
    RunExport<store::EntityStore>(globals, "entities", import::RegisterKind::kEntities, ea->file, ea->bom, ea->english);
  });
  addx("officers", [&globals, ea] {
    RunExport<store::OfficerStore>(globals, "officers", import::RegisterKind::kOfficers, ea->file, ea->bom, ea->english);
  });
  addx("items", [&globals, ea] {
    RunExport<store::ItemStore>(globals, "items", import::RegisterKind::kItems, ea->file, ea->bom, ea->english);
  });
  addx("org-units", [&globals, ea] {
    RunExport<store::OrgUnitStore>(globals, "org-units", import::RegisterKind::kOrgUnits, ea->file, ea->bom, ea->english);
  });
}
