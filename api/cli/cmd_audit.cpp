// suiji audit verify | list: checks the hash chain of the audit log, or prints its last events.
//   verify  -> "audit chain OK: N events, head H" (exit 0) or the first broken link (exit 1)
//   verify --rows -> also checks the registers' rows against the chain (Table::VerifyProvenance):
//              each row's content vs its row_sha256, every insert_batch digest recomputed from the
//              rows still carrying its seq, updated rows vs their update event; exit 1 on any problem
//   list    -> the last --limit events (default 20), oldest first, one per line
#include <iostream>

#include "api/cli/command.h"
#include "data/store/audit_log.h"
#include "data/store/database.h"
#include "data/store/entity_store.h"
#include "data/store/item_store.h"
#include "data/store/officer_store.h"
#include "data/store/org_unit_store.h"

namespace {

std::unique_ptr<suiji::store::Database> OpenOrExit(const std::string& url, const char* what) {
  auto db = suiji::store::Database::Open(url);
  if (!db) {
    std::cerr << "suiji audit " << what << ": " << db.error().message << "\n";
    throw suiji::cli::CliExit{1};
  }
  return std::move(db).value();
}

}  // namespace

SUIJI_COMMAND(80) {
  auto* audit = app.add_subcommand("audit", "verify or list the hash-chained audit log");
  audit->require_subcommand(1);

  auto* verify = audit->add_subcommand("verify", "walk the chain and report the first broken link");
  auto rows = std::make_shared<bool>(false);
  verify->add_flag("--rows", *rows,
                   "also check every register row against the chain (recompute insert_batch digests)");
  verify->callback([&globals, rows] {
    auto db = OpenOrExit(globals.db_url, "verify");
    auto r = suiji::store::VerifyAuditChain(*db);
    if (!r) {
      std::cerr << "suiji audit verify: " << r.error().message << "\n";
      throw suiji::cli::CliExit{1};
    }
    const auto& rep = r.value();
    if (rep.ok) {
      std::cout << "audit chain OK: " << rep.events << " events, head " << rep.head << "\n";
      if (!*rows) return;
      bool all_ok = true;
      for (const auto* spec : {&suiji::store::EntityCodec::Spec(), &suiji::store::OfficerCodec::Spec(),
                               &suiji::store::ItemCodec::Spec(), &suiji::store::OrgUnitCodec::Spec()}) {
        suiji::store::Table table(*db, *spec);
        auto p = table.VerifyProvenance();
        if (!p) {
          std::cerr << "suiji audit verify: " << spec->table << ": " << p.error().message << "\n";
          throw suiji::cli::CliExit{1};
        }
        const auto& v = p.value();
        std::cout << "rows " << (v.ok() ? "OK" : "MISMATCH") << ": " << v.table << ": " << v.rows << " rows, "
                  << v.batches << " insert batches recomputed, " << v.batches_partial
                  << " partly updated since, " << v.updates << " updated rows";
        if (v.legacy_rows) std::cout << ", " << v.legacy_rows << " rows from before provenance (not checked)";
        std::cout << "\n";
        for (const auto& line : v.problems) std::cout << "  " << line << "\n";
        if (v.problem_count > static_cast<std::int64_t>(v.problems.size()))
          std::cout << "  ... " << (v.problem_count - static_cast<std::int64_t>(v.problems.size())) << " more\n";
        all_ok = all_ok && v.ok();
      }
      if (!all_ok) throw suiji::cli::CliExit{1};
      return;
    }
    std::cout << "audit chain BROKEN at seq " << rep.seq << " (" << rep.problem << "): " << rep.message << "\n"
              << "  expected: " << rep.expected << "\n"
              << "  found:    " << rep.found << "\n"
              << "  " << rep.events << " events before it are intact\n";
    throw suiji::cli::CliExit{1};
  });

  auto* list = audit->add_subcommand("list", "print the last events, oldest first");
  auto limit = std::make_shared<long long>(20);
  list->add_option("--limit", *limit, "how many events (default 20)")->check(CLI::PositiveNumber);
  list->callback([&globals, limit] {
    auto db = OpenOrExit(globals.db_url, "list");
    auto events = suiji::store::TailAudit(*db, *limit);
    if (!events) {
      std::cerr << "suiji audit list: " << events.error().message << "\n";
      throw suiji::cli::CliExit{1};
    }
    for (const auto& e : events.value())
      std::cout << e.seq << "\t" << e.at << "\t" << e.actor << "\t" << e.action << "\t" << e.subject << "\t"
                << e.payload << "\t" << e.hash.substr(0, 16) << "\n";
  });
}
