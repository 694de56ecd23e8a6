// Table: the one generic engine under every repository (EntityStore, OfficerStore, ...). A table is
// described by a TableSpec (all columns TEXT, key columns first); the repositories only map their
// domain type to and from a Row.
//
// Upsert contract (a batch of rows, inside the caller's Transaction):
//  - every value must be valid UTF-8 and a key may appear only once per batch, else nothing is
//    written and the error names the row index, column and reason;
//  - a row whose key is new is inserted, one whose values differ is updated, an identical one is
//    left alone; counts of each are returned;
//  - one audit event per inserted ("<noun>.insert", payload {"new_sha256":"<hex>"}) or updated
//    ("<noun>.update", payload {"changed":[...],"new":{...},"old":{...}}) row, in batch order,
//    and none for unchanged rows, so re-importing the same data is idempotent. new_sha256 is the
//    SHA-256 of the inserted row's canonical JSON object (column -> value, JSON columns embedded as
//    JSON, the stamp column left out): the row is in the table, so the digest proves what was
//    inserted without writing every value twice. Updates keep full old and new values, which would
//    otherwise be lost.
// Bulk path: existing rows are fetched with Dialect::SelectByKeys (one statement with text[] key
// parameters on PostgreSQL); new rows go in with Dialect::BulkInsert (COPY on PostgreSQL); changed
// rows are staged the same way and applied with one UPDATE ... FROM. Reads stream with keyset pagination, so ForEach over millions of rows holds
// one batch at a time. Key order is byte order when the PostgreSQL database uses the C collation
// (see docs/operations.md); SQLite always compares bytes.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "data/store/database.h"
#include "data/store/dialect.h"

namespace suiji::store {

struct TableSpec {
  std::string table;                 // e.g. "entities"
  std::vector<std::string> columns;  // key columns first; excludes the stamp column
  size_t key_columns = 1;
  std::vector<std::string> json_columns;  // values that are JSON text (embedded as JSON in payloads)
  std::string stamp_column;          // "" or a column set to the clock on every insert/update
  std::string audit_noun;            // "entity" -> actions "entity.insert" / "entity.update"
};

struct UpsertCounts {
  std::int64_t inserted = 0, updated = 0, unchanged = 0;
  UpsertCounts& operator+=(const UpsertCounts& o) {
    inserted += o.inserted;
    updated += o.updated;
    unchanged += o.unchanged;
    return *this;
  }
  bool operator==(const UpsertCounts&) const = default;
};

class Table {
 public:
  Table(Database& db, TableSpec spec);

  const TableSpec& spec() const { return spec_; }
  Result<std::optional<Row>> Get(const Row& key);
  Result<std::int64_t> Count();
  // Rows ordered by key; offset/limit paging.
  Result<std::vector<Row>> List(std::int64_t offset, std::int64_t limit);
  // Every row in key order, `batch` rows in memory at a time. fn returns false to stop early.
  Status ForEach(const std::function<bool(const Row&)>& fn, std::int64_t batch = 10000);
  // Rows matching `where` (a fixed SQL condition over this table's columns with :p0.. placeholders
  // bound to params in order), ordered by key. For repositories' own queries; never user SQL.
  Result<std::vector<Row>> Select(const std::string& where, std::vector<std::string> params);
  Result<UpsertCounts> Upsert(Transaction& tx, std::vector<Row> rows, std::string_view actor);

 private:
  std::string ColumnList(const std::string& prefix = "") const;
  std::string KeyOrder() const;
  std::string SubjectOf(const Row& r) const;
  void AppendObject(std::string& out, const Row& r) const;
  std::vector<Row> Query(const std::string& sql, std::vector<std::string>& sparams, std::vector<long long>& iparams);

  Database& db_;
  TableSpec spec_;
  std::vector<size_t> sorted_;   // column indices in byte order of their names (canonical JSON)
  std::vector<bool> is_json_;
};

}  // namespace suiji::store
