// suiji init: creates the database (SQLite file or PostgreSQL schema) or migrates it to this
// version's schema; prints the migrations it applied. Re-running is a no-op.
#include <iostream>

#include "api/cli/command.h"
#include "data/store/database.h"
#include "data/store/migrations.h"

SUIJI_COMMAND(10) {
  auto* cmd = app.add_subcommand("init", "create or migrate the database (--db URL)");
  cmd->callback([&globals] {
    using namespace suiji::store;
    auto db = Database::Open(globals.db_url);
    if (!db) {
      std::cerr << "suiji init: " << db.error().message << "\n";
      throw suiji::cli::CliExit{1};
    }
    auto applied = Migrate(*db.value());
    if (!applied) {
      std::cerr << "suiji init: " << applied.error().message << "\n";
      throw suiji::cli::CliExit{1};
    }
    for (const auto& m : applied.value()) std::cout << "applied " << m.version << " " << m.name << "\n";
    auto all = AppliedMigrations(*db.value());
    int version = all && !all.value().empty() ? all.value().back().version : 0;
    std::cout << BackendName(db.value()->backend()) << " database "
              << (applied.value().empty() ? "already up to date" : "migrated") << " at schema version " << version
              << "\n";
  });
}
