// Dialect: every difference between the SQLite and PostgreSQL backends lives here, and nowhere
// else in the store branches on the backend. Everything else is one portable SQL text.
//
// The differences: session setup (pragmas / client encoding), how a write transaction starts and
// serialises writers, the bulk-insert path (PostgreSQL COPY FROM STDIN through libpq on the
// connection SOCI holds; SQLite batched prepared inserts) and the bulk key lookup (PostgreSQL one
// statement with the keys as text[] parameters; SQLite a TEMP table of keys joined). Internal to data/store: methods throw
// (soci::soci_error or std::runtime_error); the repositories turn that into Result errors.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "data/store/database.h"

namespace suiji::store {

// A row of TEXT columns, in a table's column order.
using Row = std::vector<std::string>;

class Dialect {
 public:
  explicit Dialect(Backend b) : backend_(b) {}
  Backend backend() const { return backend_; }

  // Run once after connecting.
  void SetupSession(soci::session& s) const;
  // Refreshes the planner's statistics of `table` from a small sample (PostgreSQL: statistics target
  // 10, ~3,000 rows; SQLite: analysis_limit 1000): the table's size and key distribution at once,
  // for a fraction of a full ANALYZE (about 1 s on 10^6 rows). Autovacuum refines it later.
  void QuickAnalyze(soci::session& s, const std::string& table) const;
  // Starts a write transaction holding the store-wide write lock.
  void BeginWrite(soci::session& s) const;
  // Appends rows to table (plain INSERT semantics: a duplicate key fails the statement).
  // Table and column names are ours, never user data; values travel as data (COPY / bound).
  void BulkInsert(Database& db, const std::string& table, const std::vector<std::string>& columns,
                  const std::vector<Row>& rows) const;
  // The same for rows[order[0]], rows[order[1]], ... in that order; the rows stay the caller's (so
  // the caller chooses the thread that frees them).
  void BulkInsert(Database& db, const std::string& table, const std::vector<std::string>& columns,
                  const std::vector<Row>& rows, const std::vector<size_t>& order) const;
  // PostgreSQL COPY text format of one value (backslash, tab, newline and carriage return escaped).
  static void AppendCopyValue(std::string& out, std::string_view v);
  // PostgreSQL only: COPY rows whose text is already formatted. Row i's values are
  // text[ends[i-1] .. ends[i]) (tab-separated, no newline); rows are sent in `order`, each followed
  // by `tail` (values common to every row, each preceded by a tab) and a newline.
  void CopyText(Database& db, const std::string& table, const std::vector<std::string>& columns,
                const std::string& text, const std::vector<size_t>& ends, const std::vector<size_t>& order,
                std::string_view tail) const;
  // The stored rows (all `columns`, the first nkey being the key) whose key equals the first nkey
  // values of some row in `rows`; in no particular order, nothing for keys that do not exist.
  std::vector<Row> SelectByKeys(Database& db, const std::string& table, const std::vector<std::string>& columns,
                                size_t nkey, const std::vector<Row>& rows) const;

 private:
  Backend backend_;
};

// Double-quoted SQL identifier.
std::string QuoteIdent(const std::string& name);

}  // namespace suiji::store
