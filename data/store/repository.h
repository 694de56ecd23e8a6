// Repository<Codec>: the typed face of a Table. Each store (EntityStore, OfficerStore, ItemStore,
// OrgUnitStore, InspectionStore) is a Codec — its TableSpec and the mapping between its domain value
// and a Row — plus the lookups it needs. All behaviour (paging, streaming, bulk upsert with audit
// events) is Table's; see table.h for the contract.
#pragma once
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "data/store/table.h"

namespace suiji::store {

// List-valued fields are stored as canonical JSON arrays of strings.
std::string EncodeList(const std::vector<std::string>& v);
Result<std::vector<std::string>> DecodeList(const std::string& text, const std::string& column);

template <typename Codec>
class Repository {
 public:
  using Value = typename Codec::Value;
  explicit Repository(Database& db) : table_(db, Codec::Spec()) {}

  Result<std::int64_t> Count() { return table_.Count(); }
  Status Analyze() { return table_.Analyze(); }  // see Table::Analyze

  // Ordered by key.
  Result<std::vector<Value>> List(std::int64_t offset, std::int64_t limit) {
    auto rows = table_.List(offset, limit);
    if (!rows) return rows.error();
    return Decode(rows.value());
  }

  // One keyset page (Table::SelectPage): values matching `where` after key `after`, at most `limit`.
  Result<std::vector<Value>> Page(const std::string& where, std::vector<std::string> params, const std::string& after,
                                  std::int64_t limit) {
    auto rows = table_.SelectPage(where, std::move(params), after, limit);
    if (!rows) return rows.error();
    return Decode(rows.value());
  }

  // Streams every value in key order; fn returns false to stop. A row that cannot be decoded stops
  // the walk with its error.
  Status ForEach(const std::function<bool(const Value&)>& fn, std::int64_t batch = 10000) {
    std::optional<Error> bad;
    Status st = table_.ForEach(
        [&](const Row& r) {
          auto v = Codec::FromRow(r);
          if (!v) {
            bad = v.error();
            return false;
          }
          return fn(v.value());
        },
        batch);
    if (!st) return st;
    if (bad) return *bad;
    return OkStatus();
  }

  // Inserts new, updates changed, skips identical values; one insert_batch event for the new rows,
  // one update event per changed row (see table.h).
  Result<UpsertCounts> Upsert(Transaction& tx, const std::vector<Value>& values, std::string_view actor) {
    auto prepared = Prepare(values);
    if (!prepared) return prepared.error();
    return Upsert(tx, prepared.value(), actor);
  }
  // The same in two halves (see Table::Prepare): Prepare touches no database and may run on another
  // thread while this repository's Upsert writes the previous batch.
  Result<PreparedRows> Prepare(const std::vector<Value>& values) const {
    std::vector<Row> rows;
    rows.reserve(values.size());
    for (const Value& v : values) rows.push_back(Codec::ToRow(v));
    return table_.Prepare(std::move(rows));
  }
  // In pieces (see Table::PrepareChunk): convert and prepare each chunk as it is parsed, moving the
  // values' strings into the rows where the codec can (Codec::ToRow(Value&&)).
  void PrepareChunk(std::vector<Value>&& values, PreparedRows& into) const {
    std::vector<Row> rows;
    rows.reserve(values.size());
    for (Value& v : values) rows.push_back(Codec::ToRow(std::move(v)));
    table_.PrepareChunk(std::move(rows), into);
  }
  Status FinishPrepare(PreparedRows& batch) const { return table_.FinishPrepare(batch); }
  Result<UpsertCounts> Upsert(Transaction& tx, PreparedRows& rows, std::string_view actor) {
    return table_.Upsert(tx, rows, actor);
  }

  // The rows whose (single-column) key is one of `keys`, in key order; unknown keys give nothing.
  // Bound parameters, 500 to a statement.
  Result<std::vector<Value>> GetMany(const std::vector<std::string>& keys) {
    std::vector<Value> out;
    for (std::size_t at = 0; at < keys.size(); at += 500) {
      const std::size_t n = std::min<std::size_t>(500, keys.size() - at);
      std::string where = QuoteIdent(table_.spec().columns[0]) + " IN (";
      for (std::size_t i = 0; i < n; ++i) where += (i ? ",:p" : ":p") + std::to_string(i);
      auto rows = table_.Select(where + ")", std::vector<std::string>(keys.begin() + at, keys.begin() + at + n));
      if (!rows) return rows.error();
      auto values = Decode(rows.value());
      if (!values) return values.error();
      for (auto& v : values.value()) out.push_back(std::move(v));
    }
    return out;
  }

 protected:
  Result<std::optional<Value>> GetByKey(Row key) {
    auto row = table_.Get(key);
    if (!row) return row.error();
    if (!row.value()) return std::optional<Value>();
    auto v = Codec::FromRow(*row.value());
    if (!v) return v.error();
    return std::optional<Value>(std::move(v).value());
  }
  Result<std::vector<Value>> Decode(const std::vector<Row>& rows) {
    std::vector<Value> out;
    out.reserve(rows.size());
    for (const Row& r : rows) {
      auto v = Codec::FromRow(r);
      if (!v) return v.error();
      out.push_back(std::move(v).value());
    }
    return out;
  }
  Table table_;
};

}  // namespace suiji::store
