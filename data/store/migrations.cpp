#include "data/store/migrations.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace suiji::store {
namespace {

const char* kBootstrap =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::vector<AppliedMigration> ReadApplied(soci::session& s) {
  std::vector<AppliedMigration> out;
  soci::rowset<soci::row> rs = (s.prepare << "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  for (const soci::row& r : rs) {
    AppliedMigration m;
    // Integer width differs by backend; read as long long via the row's own type.
    m.version = r.get_properties(0).get_data_type() == soci::dt_long_long ? static_cast<int>(r.get<long long>(0))
                                                                           : r.get<int>(0);
    m.name = r.get<std::string>(1);
    m.applied_at = r.get<std::string>(2);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

std::vector<std::string> SplitStatements(const std::string& sql) {
  std::vector<std::string> out;
  std::istringstream in(sql);
  std::string line, current;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (t.empty() || t.starts_with("--")) continue;
    current += line + "\n";
    if (t.back() == ';') {
      std::string stmt = Trim(current);
      stmt.pop_back();  // the ';'
      if (!Trim(stmt).empty()) out.push_back(Trim(stmt));
      current.clear();
    }
  }
  if (!Trim(current).empty()) out.push_back(Trim(current));
  return out;
}

Result<std::vector<Migration>> AllMigrations() {
  std::vector<Migration> out;
  for (const EmbeddedSql& f : EmbeddedMigrationFiles()) {
    std::string stem = f.stem;
    size_t us = stem.find('_');
    if (us == std::string::npos || us == 0 || us + 1 == stem.size() ||
        !std::all_of(stem.begin(), stem.begin() + us, [](char c) { return c >= '0' && c <= '9'; }))
      return Error{"migration.name", "migration file must be named NNNN_name.sql", stem};
    Migration m;
    m.version = std::stoi(stem.substr(0, us));
    m.name = stem.substr(us + 1);
    m.statements = SplitStatements(f.sql);
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].version == out[i - 1].version)
      return Error{"migration.duplicate", "two migration files share version " + std::to_string(out[i].version),
                   out[i].name};
  return out;
}

Result<std::vector<AppliedMigration>> AppliedMigrations(Database& db) {
  try {
    db.session() << kBootstrap;
    return ReadApplied(db.session());
  } catch (const std::exception& e) {
    return StoreError("migration.read", e);
  }
}

Result<std::vector<AppliedMigration>> Migrate(Database& db) {
  auto all = AllMigrations();
  if (!all) return all.error();
  auto tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  std::vector<AppliedMigration> applied_now;
  int current = 0;
  try {
    soci::session& s = db.session();
    s << kBootstrap;
    std::map<int, std::string> known;
    for (const Migration& m : all.value()) known[m.version] = m.name;
    for (const AppliedMigration& a : ReadApplied(s)) {
      auto it = known.find(a.version);
      if (it == known.end())
        return Error{"migration.unknown",
                     "database has migration " + std::to_string(a.version) + " (" + a.name +
                         ") that this suiji does not know; upgrade suiji",
                     a.name};
      if (it->second != a.name)
        return Error{"migration.mismatch",
                     "migration " + std::to_string(a.version) + " is recorded as '" + a.name + "' but this suiji has '" +
                         it->second + "'",
                     a.name};
      known.erase(it);
    }
    for (const Migration& m : all.value()) {
      if (!known.count(m.version)) continue;  // already applied
      current = m.version;
      for (const std::string& stmt : m.statements) s << stmt;
      AppliedMigration rec{m.version, m.name, db.Now()};
      s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)", soci::use(rec.version),
          soci::use(rec.name), soci::use(rec.applied_at);
      applied_now.push_back(std::move(rec));
    }
  } catch (const std::exception& e) {
    Error err = StoreError("migration.apply", e);
    if (current) err.message = "migration " + std::to_string(current) + ": " + err.message;
    return err;  // tx rolls back: nothing of this run is kept
  }
  Status st = tx.value().Commit();
  if (!st) return st.error();
  return applied_now;
}

}  // namespace suiji::store
