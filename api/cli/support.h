// Helpers shared by the CLI commands: opening the database at the current schema, failing loudly.
#pragma once
#include <fstream>
#include <iostream>
#include <sstream>
#include <memory>
#include <string>

#include "api/cli/command.h"
#include "core/result.h"
#include "data/store/database.h"
#include "data/import/report.h"
#include "data/store/migrations.h"

namespace suiji::cli {

// Prints "suiji CMD: message" to stderr and exits 1.
[[noreturn]] inline void Fail(const std::string& cmd, const std::string& message) {
  std::cerr << "suiji " << cmd << ": " << message << "\n";
  throw CliExit{1};
}
[[noreturn]] inline void Fail(const std::string& cmd, const Error& e) {
  Fail(cmd, e.field.empty() ? e.message : e.field + ": " + e.message);
}

// Opens --db and refuses a database that is not at this binary's schema version (run `suiji init`).
inline std::unique_ptr<store::Database> OpenDb(const Globals& g, const std::string& cmd) {
  auto db = store::Database::Open(g.db_url);
  if (!db) Fail(cmd, db.error());
  auto applied = store::AppliedMigrations(*db.value());
  auto all = store::AllMigrations();
  if (!applied || !all) Fail(cmd, applied ? all.error() : applied.error());
  if (applied.value().size() != all.value().size())
    Fail(cmd, "database " + g.db_url + " is at schema version " +
                  std::to_string(applied.value().empty() ? 0 : applied.value().back().version) +
                  ", this suiji needs " + std::to_string(all.value().back().version) +
                  ": run `suiji init --db " + g.db_url + "` first");
  return std::move(db).value();
}

// Every kept row error as "row N, column C, value 'V': code: reason", then the complete counts by code.
inline void PrintRowErrors(const import::ImportReport& rep, std::ostream& out) {
  for (const auto& e : rep.errors) {
    out << "  row " << e.row;
    if (!e.column.empty()) out << ", column " << e.column;
    if (!e.value.empty()) out << ", value '" << e.value << "'";
    out << ": " << e.code << ": " << e.reason;
    if (e.other_row) out << " (see row " << e.other_row << ")";
    out << "\n";
  }
  if (rep.truncated) out << "  ... (more; counts below are complete)\n";
  for (const auto& [code, n] : rep.error_counts) out << "  " << code << ": " << n << " rows\n";
}

// The whole file, or "suiji CMD: cannot read PATH" and exit 1.
inline std::string ReadFile(const std::string& cmd, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(cmd, "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <typename T>
T Must(const std::string& cmd, Result<T> r) {
  if (!r) Fail(cmd, r.error());
  return std::move(r).value();
}
inline void Must(const std::string& cmd, const Status& s) {
  if (!s) Fail(cmd, s.error());
}

}  // namespace suiji::cli
