// Schema migrations: numbered SQL files data/migrations/NNNN_name.sql, embedded at build time,
// applied in version order and recorded in schema_migrations(version, name, applied_at).
//
// To extend the schema, add the next-numbered file; never edit one that has shipped. The SQL must
// run unchanged on both backends (one schema, two backends); statements end with ';' at the end of
// a line, and '--' comment lines are skipped. Migrate() applies every pending migration inside ONE
// transaction (all or nothing) and is a no-op when nothing is pending. It refuses a database that
// records a version this binary does not know or a version whose name differs (a different file).
#pragma once
#include <string>
#include <vector>

#include "core/result.h"
#include "data/store/database.h"

namespace suiji::store {

struct EmbeddedSql {
  const char* stem;  // file name without .sql, e.g. "0001_registers"
  const char* sql;
};
const std::vector<EmbeddedSql>& EmbeddedMigrationFiles();  // generated

struct Migration {
  int version = 0;
  std::string name;
  std::vector<std::string> statements;
};

// The embedded migrations, parsed and sorted; an error if two share a version or a name is malformed.
Result<std::vector<Migration>> AllMigrations();
// Splits a migration file into statements (exposed for tests).
std::vector<std::string> SplitStatements(const std::string& sql);

struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string applied_at;
};

// Applies the pending migrations; returns the ones it applied (empty when up to date).
Result<std::vector<AppliedMigration>> Migrate(Database& db);
// What the database records as applied (empty for a fresh database).
Result<std::vector<AppliedMigration>> AppliedMigrations(Database& db);

}  // namespace suiji::store
