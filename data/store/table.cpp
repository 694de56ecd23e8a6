#include "data/store/table.h"

#include <soci/soci.h>

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "core/sha256.h"
#include "data/store/audit_log.h"
#include "data/store/json_text.h"

namespace suiji::store {
namespace {

constexpr size_t kFetch = 2000;

std::string JoinKey(const Row& r, size_t n) {
  std::string k;
  for (size_t i = 0; i < n; ++i) {
    k += r[i];
    k += '\x1f';  // unit separator: cannot collide, values are compared as whole strings
  }
  return k;
}

}  // namespace

Table::Table(Database& db, TableSpec spec) : db_(db), spec_(std::move(spec)) {
  sorted_.resize(spec_.columns.size());
  std::iota(sorted_.begin(), sorted_.end(), 0);
  std::sort(sorted_.begin(), sorted_.end(),
            [&](size_t a, size_t b) { return spec_.columns[a] < spec_.columns[b]; });
  is_json_.resize(spec_.columns.size());
  for (size_t i = 0; i < spec_.columns.size(); ++i)
    is_json_[i] = std::find(spec_.json_columns.begin(), spec_.json_columns.end(), spec_.columns[i]) !=
                  spec_.json_columns.end();
}

std::string Table::ColumnList(const std::string& prefix) const {
  std::string s;
  for (size_t i = 0; i < spec_.columns.size(); ++i) s += (i ? ", " : "") + prefix + QuoteIdent(spec_.columns[i]);
  return s;
}

std::string Table::KeyOrder() const {
  std::string s;
  for (size_t i = 0; i < spec_.key_columns; ++i) s += (i ? ", " : "") + QuoteIdent(spec_.columns[i]);
  return s;
}

std::string Table::SubjectOf(const Row& r) const {
  std::string s = spec_.table;
  for (size_t i = 0; i < spec_.key_columns; ++i) s += "/" + r[i];
  return s;
}

void Table::AppendObject(std::string& out, const Row& r) const {
  out += '{';
  bool first = true;
  for (size_t i : sorted_) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, spec_.columns[i]);
    out += ':';
    if (is_json_[i])
      out += r[i];
    else
      AppendJsonString(out, r[i]);
  }
  out += '}';
}

std::vector<Row> Table::Query(const std::string& sql, std::vector<std::string>& sparams,
                              std::vector<long long>& iparams) {
  const size_t n = spec_.columns.size();
  std::vector<std::vector<std::string>> cols(n, std::vector<std::string>(kFetch));
  soci::statement st(db_.session());
  for (auto& c : cols) st.exchange(soci::into(c));
  for (size_t i = 0; i < sparams.size(); ++i) st.exchange(soci::use(sparams[i], "p" + std::to_string(i)));
  for (size_t i = 0; i < iparams.size(); ++i) st.exchange(soci::use(iparams[i], "n" + std::to_string(i)));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  std::vector<Row> out;
  st.execute();
  while (st.fetch()) {
    size_t got = cols[0].size();
    for (size_t r = 0; r < got; ++r) {
      Row row(n);
      for (size_t c = 0; c < n; ++c) row[c] = std::move(cols[c][r]);
      out.push_back(std::move(row));
    }
    for (auto& c : cols) c.resize(kFetch);
  }
  return out;
}

Result<std::optional<Row>> Table::Get(const Row& key) {
  if (key.size() != spec_.key_columns) return Error{"store.key", "wrong number of key values", spec_.table};
  std::string sql = "SELECT " + ColumnList() + " FROM " + QuoteIdent(spec_.table) + " WHERE ";
  for (size_t i = 0; i < key.size(); ++i)
    sql += (i ? " AND " : "") + QuoteIdent(spec_.columns[i]) + " = :p" + std::to_string(i);
  try {
    std::vector<std::string> sp = key;
    std::vector<long long> ip;
    auto rows = Query(sql, sp, ip);
    if (rows.empty()) return std::optional<Row>();
    return std::optional<Row>(std::move(rows.front()));
  } catch (const std::exception& e) {
    return StoreError("store.get", e);
  }
}

Result<std::int64_t> Table::Count() {
  try {
    long long n = 0;
    db_.session() << "SELECT COUNT(*) FROM " + QuoteIdent(spec_.table), soci::into(n);
    return static_cast<std::int64_t>(n);
  } catch (const std::exception& e) {
    return StoreError("store.count", e);
  }
}

Result<std::vector<Row>> Table::List(std::int64_t offset, std::int64_t limit) {
  if (offset < 0 || limit < 0) return Error{"store.page", "offset and limit must not be negative", spec_.table};
  std::string sql = "SELECT " + ColumnList() + " FROM " + QuoteIdent(spec_.table) + " ORDER BY " + KeyOrder() +
                    " LIMIT :n0 OFFSET :n1";
  try {
    std::vector<std::string> sp;
    std::vector<long long> ip = {limit, offset};
    return Query(sql, sp, ip);
  } catch (const std::exception& e) {
    return StoreError("store.list", e);
  }
}

Result<std::vector<Row>> Table::Select(const std::string& where, std::vector<std::string> params) {
  std::string sql = "SELECT " + ColumnList() + " FROM " + QuoteIdent(spec_.table) + " WHERE " + where +
                    " ORDER BY " + KeyOrder();
  try {
    std::vector<long long> ip;
    return Query(sql, params, ip);
  } catch (const std::exception& e) {
    return StoreError("store.select", e);
  }
}

Status Table::ForEach(const std::function<bool(const Row&)>& fn, std::int64_t batch) {
  if (batch <= 0) return Error{"store.page", "batch must be positive", spec_.table};
  const std::string base = "SELECT " + ColumnList() + " FROM " + QuoteIdent(spec_.table);
  std::string after = " WHERE (" + KeyOrder() + ") > (";
  for (size_t i = 0; i < spec_.key_columns; ++i) after += (i ? ", :p" : ":p") + std::to_string(i);
  after += ")";
  const std::string tail = " ORDER BY " + KeyOrder() + " LIMIT :n0";
  try {
    std::vector<std::string> last;
    for (;;) {
      std::vector<std::string> sp = last;
      std::vector<long long> ip = {batch};
      auto rows = Query(base + (last.empty() ? "" : after) + tail, sp, ip);
      for (const Row& r : rows)
        if (!fn(r)) return OkStatus();
      if (static_cast<std::int64_t>(rows.size()) < batch) return OkStatus();
      last.assign(rows.back().begin(), rows.back().begin() + spec_.key_columns);
    }
  } catch (const std::exception& e) {
    return StoreError("store.scan", e);
  }
}

Result<UpsertCounts> Table::Upsert(Transaction& tx, std::vector<Row> rows, std::string_view actor) {
  if (!tx.open()) return Error{"store.tx", "upsert needs an open transaction", spec_.table};
  if (&tx.db() != &db_) return Error{"store.tx", "transaction belongs to another database", spec_.table};
  const size_t ncol = spec_.columns.size(), nkey = spec_.key_columns;
  // Validate everything before touching the database.
  std::unordered_map<std::string, size_t> index;
  index.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (r.size() != ncol)
      return Error{"store.row", "row " + std::to_string(i) + " has " + std::to_string(r.size()) + " values, want " +
                                    std::to_string(ncol), spec_.table};
    for (size_t c = 0; c < ncol; ++c)
      if (!ValidUtf8(r[c]))
        return Error{"store.utf8", "row " + std::to_string(i) + ": value is not valid UTF-8", spec_.columns[c]};
    for (size_t c = 0; c < nkey; ++c)
      if (r[c].empty())
        return Error{"store.key", "row " + std::to_string(i) + ": key value is empty", spec_.columns[c]};
    auto [it, fresh] = index.emplace(JoinKey(r, nkey), i);
    if (!fresh)
      return Error{"store.duplicate", "row " + std::to_string(i) + " repeats the key of row " +
                                          std::to_string(it->second) + " (" + SubjectOf(r) + ")", spec_.columns[0]};
  }
  UpsertCounts counts;
  if (rows.empty()) return counts;

  try {
    soci::session& s = db_.session();
    const Dialect& d = db_.dialect();
    const std::string table = QuoteIdent(spec_.table);

    // 1. Existing rows with the batch's keys (skipped when the table is empty: a first import).
    std::unordered_map<std::string, Row> existing;
    int any = 0;
    s << "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " LIMIT 1) t", soci::into(any);
    if (any) {
      auto found = d.SelectByKeys(db_, spec_.table, spec_.columns, nkey, rows);
      existing.reserve(found.size());
      for (Row& old : found) {
        std::string k = JoinKey(old, nkey);
        existing.emplace(std::move(k), std::move(old));
      }
    }

    // 2. Classify, and draft the audit events in batch order.
    const std::string now = db_.Now();
    std::vector<Row> inserts, updates;
    std::vector<AuditDraft> drafts;
    drafts.reserve(rows.size() - existing.size());
    std::string object;
    for (Row& r : rows) {
      auto it = existing.find(JoinKey(r, nkey));
      if (it != existing.end() && it->second == r) {
        ++counts.unchanged;
        continue;
      }
      AuditDraft draft;
      draft.subject = SubjectOf(r);
      std::string& p = draft.payload;
      if (it == existing.end()) {
        ++counts.inserted;
        draft.action = spec_.audit_noun + ".insert";
        // The row itself is in the table; the chain holds its digest (recomputable from the row).
        object.clear();
        AppendObject(object, r);
        p = "{\"new_sha256\":\"";
        p += Sha256Hex(object);
        p += "\"}";
      } else {
        ++counts.updated;
        draft.action = spec_.audit_noun + ".update";
        p = "{\"changed\":[";
        bool first = true;
        for (size_t c : sorted_) {
          if (r[c] == it->second[c]) continue;
          if (!first) p += ',';
          first = false;
          AppendJsonString(p, spec_.columns[c]);
        }
        p += "],\"new\":";
        AppendObject(p, r);
        p += ",\"old\":";
        AppendObject(p, it->second);
        p += '}';
      }
      drafts.push_back(std::move(draft));
      if (!spec_.stamp_column.empty()) r.push_back(now);
      (it == existing.end() ? inserts : updates).push_back(std::move(r));
    }

    std::vector<std::string> write_cols = spec_.columns;
    if (!spec_.stamp_column.empty()) write_cols.push_back(spec_.stamp_column);

    // 3. New rows straight in; changed rows through a staging table and one UPDATE ... FROM.
    d.BulkInsert(db_, spec_.table, write_cols, inserts);
    if (!updates.empty()) {
      std::string ddl = "CREATE TEMP TABLE suiji_stage_rows (";
      std::string set, on;
      for (size_t c = 0; c < write_cols.size(); ++c) {
        std::string q = QuoteIdent(write_cols[c]);
        ddl += (c ? ", " : "") + q + " TEXT NOT NULL";
        if (c < nkey)
          on += (on.empty() ? "" : " AND ") + table + "." + q + " = s." + q;
        else
          set += (set.empty() ? "" : ", ") + q + " = s." + q;
      }
      s << "DROP TABLE IF EXISTS suiji_stage_rows";
      s << ddl + ")";
      d.BulkInsert(db_, "suiji_stage_rows", write_cols, updates);
      s << "UPDATE " + table + " SET " + set + " FROM suiji_stage_rows s WHERE " + on;
      s << "DROP TABLE suiji_stage_rows";
    }

    // 4. The audit trail of exactly what changed.
    auto appended = AppendAudit(tx, actor, std::move(drafts));
    if (!appended) return appended.error();
  } catch (const std::exception& e) {
    return StoreError("store.upsert", e);
  }
  return counts;
}

}  // namespace suiji::store
