#include "data/store/table.h"

#include <soci/soci.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>
#include <numeric>
#include <unordered_map>

#include "core/canonical_json.h"
#include "core/key_hash.h"
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

// 64-bit hash of a row's key columns (core/key_hash.h over the values, each followed by a separator).
// Equal keys hash equal; a collision only costs an exact comparison or a probe.
std::uint64_t RowKeyHash(const Row& r, size_t nkey) {
  KeyHash h;
  for (size_t i = 0; i < nkey; ++i) {
    h.Add(r[i]);
    h.Add('\x1f');
  }
  return h.Finish();
}

bool SameKey(const Row& a, const Row& b, size_t nkey) {
  for (size_t i = 0; i < nkey; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// Byte order of the key, column by column (std::string compares bytes as unsigned char).
bool KeyLess(const Row& a, const Row& b, size_t nkey) {
  for (size_t i = 0; i < nkey; ++i) {
    int c = a[i].compare(b[i]);
    if (c != 0) return c < 0;
  }
  return false;
}

void AppendKeyArray(std::string& out, const Row& r, size_t nkey) {
  out += '[';
  for (size_t i = 0; i < nkey; ++i) {
    if (i) out += ',';
    AppendJsonString(out, r[i]);
  }
  out += ']';
}

}  // namespace

void AppendDigestLine(std::string& out, const Row& row, size_t nkey, std::string_view row_sha256) {
  AppendKeyArray(out, row, nkey);
  out += '\t';
  out += row_sha256;
  out += '\n';
}

Table::Table(Database& db, TableSpec spec) : db_(db), spec_(std::move(spec)) {
  sorted_.resize(spec_.columns.size());
  std::iota(sorted_.begin(), sorted_.end(), 0);
  std::sort(sorted_.begin(), sorted_.end(),
            [&](size_t a, size_t b) { return spec_.columns[a] < spec_.columns[b]; });
  json_keys_.resize(spec_.columns.size());
  for (size_t i = 0; i < spec_.columns.size(); ++i) {
    AppendJsonString(json_keys_[i], spec_.columns[i]);
    json_keys_[i] += ':';
  }
  is_json_.resize(spec_.columns.size());
  for (size_t i = 0; i < spec_.columns.size(); ++i)
    is_json_[i] = std::find(spec_.json_columns.begin(), spec_.json_columns.end(), spec_.columns[i]) !=
                  spec_.json_columns.end();
  is_late_.resize(spec_.columns.size());
  for (size_t i = 0; i < spec_.columns.size(); ++i)
    is_late_[i] = std::find(spec_.late_columns.begin(), spec_.late_columns.end(), spec_.columns[i]) !=
                  spec_.late_columns.end();
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
    if (is_late_[i] && (r[i].empty() || r[i] == "[]")) continue;
    if (!first) out += ',';
    first = false;
    out += json_keys_[i];
    if (is_json_[i])
      out += r[i];
    else
      AppendJsonString(out, r[i]);
  }
  out += '}';
}

std::string Table::RowSha(const Row& r, std::string& scratch) const {
  scratch.clear();
  AppendObject(scratch, r);
  return Sha256Hex(scratch);
}

std::vector<Row> Table::Query(const std::string& sql, std::vector<std::string>& sparams,
                              std::vector<long long>& iparams, size_t ncols, size_t fetch) {
  const size_t n = ncols ? ncols : spec_.columns.size();
  const size_t batch = fetch ? std::min(fetch, kFetch) : kFetch;
  std::vector<std::vector<std::string>> cols(n, std::vector<std::string>(batch));
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
    for (auto& c : cols) c.resize(batch);
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

Status Table::Analyze() {
  try {
    db_.dialect().QuickAnalyze(db_.session(), spec_.table);
    return OkStatus();
  } catch (const std::exception& e) {
    return StoreError("store.analyze", e);
  }
}

Result<std::vector<Row>> Table::List(std::int64_t offset, std::int64_t limit) {
  if (offset < 0 || limit < 0) return Error{"store.page", "offset and limit must not be negative", spec_.table};
  std::string sql = "SELECT " + ColumnList() + " FROM " + QuoteIdent(spec_.table) + " ORDER BY " + KeyOrder() +
                    " LIMIT :n0 OFFSET :n1";
  try {
    std::vector<std::string> sp;
    std::vector<long long> ip = {limit, offset};
    return Query(sql, sp, ip, 0, static_cast<size_t>(std::max<std::int64_t>(1, limit)));
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

Result<std::vector<Row>> Table::SelectPage(const std::string& where, std::vector<std::string> params,
                                           const std::string& after, std::int64_t limit) {
  if (limit < 0) return Error{"store.page", "limit must not be negative", spec_.table};
  std::string cond = where.empty() ? "" : "(" + where + ")";
  if (!after.empty()) {
    params.push_back(after);
    cond += std::string(cond.empty() ? "" : " AND ") + QuoteIdent(spec_.columns[0]) + " > :p" +
            std::to_string(params.size() - 1);
  }
  std::string sql = "SELECT " + ColumnList() + " FROM " + QuoteIdent(spec_.table) + (cond.empty() ? "" : " WHERE " + cond) +
                    " ORDER BY " + KeyOrder() + " LIMIT :n0";
  try {
    std::vector<long long> ip = {limit};
    return Query(sql, params, ip, 0, static_cast<size_t>(std::max<std::int64_t>(1, limit)));
  } catch (const std::exception& e) {
    return StoreError("store.select", e);
  }
}

Status Table::ForEach(const std::function<bool(const Row&)>& fn, std::int64_t batch) {
  if (batch <= 0) return Error{"store.page", "batch must be positive", spec_.table};
  try {
    Scan(ColumnList(), spec_.columns.size(), fn, batch);
    return OkStatus();
  } catch (const std::exception& e) {
    return StoreError("store.scan", e);
  }
}

// Keyset pagination over `columns` (the key columns first): one batch in memory at a time.
void Table::Scan(const std::string& columns, size_t ncols, const std::function<bool(const Row&)>& fn,
                 std::int64_t batch) {
  const std::string base = "SELECT " + columns + " FROM " + QuoteIdent(spec_.table);
  std::string after = " WHERE (" + KeyOrder() + ") > (";
  for (size_t i = 0; i < spec_.key_columns; ++i) after += (i ? ", :p" : ":p") + std::to_string(i);
  after += ")";
  const std::string tail = " ORDER BY " + KeyOrder() + " LIMIT :n0";
  std::vector<std::string> last;
  for (;;) {
    std::vector<std::string> sp = last;
    std::vector<long long> ip = {batch};
    auto rows = Query(base + (last.empty() ? "" : after) + tail, sp, ip, ncols);
    for (const Row& r : rows)
      if (!fn(r)) return;
    if (static_cast<std::int64_t>(rows.size()) < batch) return;
    last.assign(rows.back().begin(), rows.back().begin() + spec_.key_columns);
  }
}

void Table::PrepareChunk(std::vector<Row>&& rows, PreparedRows& p) const {
  const size_t ncol = spec_.columns.size(), nkey = spec_.key_columns;
  if (p.table.empty()) p.table = spec_.table;
  if (p.error || p.finished) return;
  const bool copy_text = db_.dialect().backend() == Backend::kPostgres;
  const size_t extra = (spec_.stamp_column.empty() ? 0 : 1) + (spec_.provenance ? 2 : 0);
  std::string object;
  for (Row& r : rows) {
    const std::string at = "row " + std::to_string(p.rows.size());
    if (r.size() != ncol) {
      p.error = Error{"store.row", at + " has " + std::to_string(r.size()) + " values, want " + std::to_string(ncol),
                      spec_.table};
      return;
    }
    for (size_t c = 0; c < ncol; ++c)
      if (!ValidUtf8(r[c])) {
        p.error = Error{"store.utf8", at + ": value is not valid UTF-8", spec_.columns[c]};
        return;
      }
    for (size_t c = 0; c < nkey; ++c)
      if (r[c].empty()) {
        p.error = Error{"store.key", at + ": key value is empty", spec_.columns[c]};
        return;
      }
    // Everything that reads the row's bytes happens here, while they are still in the cache.
    p.hashes.push_back(RowKeyHash(r, nkey));
    unsigned char b[16] = {};
    std::memcpy(b, r[0].data(), std::min<size_t>(16, r[0].size()));
    std::array<std::uint64_t, 2> prefix = {0, 0};
    for (int i = 0; i < 16; ++i) prefix[i / 8] = prefix[i / 8] << 8 | b[i];
    p.prefixes.push_back(prefix);
    std::string sha = RowSha(r, object);
    AppendDigestLine(p.lines, r, nkey, sha);
    p.line_ends.push_back(p.lines.size());
    if (copy_text) {
      for (size_t c = 0; c < ncol; ++c) {
        if (c) p.copy_text += '\t';
        Dialect::AppendCopyValue(p.copy_text, r[c]);
      }
      if (spec_.provenance) {
        p.copy_text += '\t';
        p.copy_text += sha;
      }
      p.copy_ends.push_back(p.copy_text.size());
    }
    p.shas.push_back(std::move(sha));
    r.reserve(ncol + extra);  // SQLite's Upsert appends the stamp and provenance values in place
    p.rows.push_back(std::move(r));
  }
}

Status Table::FinishPrepare(PreparedRows& p) const {
  if (p.table.empty()) p.table = spec_.table;
  if (p.error) return *p.error;
  if (p.finished) return OkStatus();
  const size_t nkey = spec_.key_columns;
  const std::vector<Row>& rows = p.rows;
  // Duplicate keys: an open-addressing table of (key hash, row) at load <= 1/2, exact comparison on
  // equal hashes.
  std::vector<std::pair<std::uint64_t, size_t>> slots(std::max<size_t>(16, std::bit_ceil(rows.size() * 2)));
  const size_t mask = slots.size() - 1;
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::uint64_t h = p.hashes[i];
    for (size_t j = h & mask;; j = (j + 1) & mask) {
      if (slots[j].first == 0) {
        slots[j] = {h, i};
        break;
      }
      if (slots[j].first == h && SameKey(rows[slots[j].second], rows[i], nkey)) {
        p.error = Error{"store.duplicate", "row " + std::to_string(i) + " repeats the key of row " +
                                               std::to_string(slots[j].second) + " (" + SubjectOf(rows[i]) + ")",
                        spec_.columns[0]};
        return *p.error;
      }
    }
  }
  // Key order: by the first 16 bytes of the first key column (big-endian, so integer order is byte
  // order; a short value is padded with zero bytes), whole keys compared only on ties.
  p.key_order.resize(rows.size());
  std::iota(p.key_order.begin(), p.key_order.end(), 0);
  std::sort(p.key_order.begin(), p.key_order.end(), [&](size_t a, size_t b) {
    return p.prefixes[a] != p.prefixes[b] ? p.prefixes[a] < p.prefixes[b] : KeyLess(rows[a], rows[b], nkey);
  });
  p.digest_lines.clear();
  p.digest_lines.reserve(p.lines.size());
  p.digest_ends.clear();
  p.digest_ends.reserve(rows.size());
  for (size_t i : p.key_order) {
    const size_t start = i ? p.line_ends[i - 1] : 0;
    p.digest_lines.append(p.lines, start, p.line_ends[i] - start);
    p.digest_ends.push_back(p.digest_lines.size());
  }
  p.all_digest = Sha256Hex(p.digest_lines);
  std::string().swap(p.lines);  // digest_lines holds the same bytes, in key order
  std::vector<size_t>().swap(p.line_ends);
  p.finished = true;
  return OkStatus();
}

Result<PreparedRows> Table::Prepare(std::vector<Row> rows) const {
  PreparedRows p;
  PrepareChunk(std::move(rows), p);
  if (Status st = FinishPrepare(p); !st) return st.error();
  return p;
}

Result<UpsertCounts> Table::Upsert(Transaction& tx, std::vector<Row> rows, std::string_view actor) {
  auto prepared = Prepare(std::move(rows));
  if (!prepared) return prepared.error();
  return Upsert(tx, prepared.value(), actor);
}

Result<UpsertCounts> Table::Upsert(Transaction& tx, PreparedRows& batch, std::string_view actor) {
  if (!tx.open()) return Error{"store.tx", "upsert needs an open transaction", spec_.table};
  if (&tx.db() != &db_) return Error{"store.tx", "transaction belongs to another database", spec_.table};
  if (batch.error) return *batch.error;
  if (batch.table != spec_.table || !batch.finished || batch.hashes.size() != batch.rows.size() ||
      batch.shas.size() != batch.rows.size() || batch.key_order.size() != batch.rows.size())
    return Error{"store.prepared", "rows were not prepared (and finished) by this table", spec_.table};
  const size_t nkey = spec_.key_columns;
  std::vector<Row>& rows = batch.rows;
  UpsertCounts counts;
  if (rows.empty()) return counts;

  try {
    soci::session& s = db_.session();
    const Dialect& d = db_.dialect();
    const std::string table = QuoteIdent(spec_.table);

    // 1. Existing rows with the batch's keys. A first load (table empty when this transaction first
    //    wrote it) probes only the keys the filter of this transaction's inserts cannot rule out.
    if (first_load_.tx_serial != tx.serial()) {
      first_load_ = FirstLoad{};
      first_load_.tx_serial = tx.serial();
      int any = 0;
      s << "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " LIMIT 1) t", soci::into(any);
      first_load_.active = any == 0;
    }
    std::vector<Row> probe_keys;
    const std::vector<Row>* probe = &rows;
    if (first_load_.active) {
      for (size_t i = 0; i < rows.size(); ++i)
        if (first_load_.inserted.MayContain(batch.hashes[i]))
          probe_keys.emplace_back(rows[i].begin(), rows[i].begin() + nkey);
      probe = &probe_keys;
    }
    std::unordered_map<std::string, Row> existing;
    if (!probe->empty()) {
      auto found = d.SelectByKeys(db_, spec_.table, spec_.columns, nkey, *probe);
      existing.reserve(found.size());
      for (Row& old : found) {
        std::string k = JoinKey(old, nkey);
        existing.emplace(std::move(k), std::move(old));
      }
    }

    // 2. Classify. Updates keep batch order; inserts go in key order (the digest's order).
    std::vector<const Row*> stored(rows.size(), nullptr);  // each row's stored version, if it has one
    if (!existing.empty())
      for (size_t i = 0; i < rows.size(); ++i)
        if (auto it = existing.find(JoinKey(rows[i], nkey)); it != existing.end()) stored[i] = &it->second;
    std::vector<size_t> insert_idx;
    std::vector<std::pair<size_t, const Row*>> update_idx;  // row, its stored version
    insert_idx.reserve(rows.size());
    for (size_t i : batch.key_order)
      if (!stored[i]) insert_idx.push_back(i);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!stored[i]) continue;
      if (*stored[i] == rows[i]) ++counts.unchanged;
      else update_idx.emplace_back(i, stored[i]);
    }
    counts.inserted = static_cast<std::int64_t>(insert_idx.size());
    counts.updated = static_cast<std::int64_t>(update_idx.size());
    if (insert_idx.empty() && update_idx.empty()) return counts;

    // 3. Draft the events, knowing their seqs: the write lock keeps the head ours.
    auto head = AuditHeadSeq(tx);
    if (!head) return head.error();
    std::int64_t seq = head.value();
    const std::string now = db_.Now();
    std::vector<AuditDraft> drafts;
    drafts.reserve(1 + update_idx.size());
    std::vector<Row> updates;
    std::string batch_seq;
    if (!insert_idx.empty()) {
      batch_seq = std::to_string(++seq);
      std::string digest = batch.all_digest;
      if (insert_idx.size() != rows.size()) {  // some rows exist: the digest of the new ones only
        std::string lines;
        for (size_t pos = 0, start = 0; pos < batch.key_order.size(); start = batch.digest_ends[pos++])
          if (!stored[batch.key_order[pos]])
            lines.append(batch.digest_lines, start, batch.digest_ends[pos] - start);
        digest = Sha256Hex(lines);
      }
      std::string p = "{\"count\":" + std::to_string(insert_idx.size()) + ",\"digest\":\"" + digest + "\",\"first\":";
      AppendKeyArray(p, rows[insert_idx.front()], nkey);
      p += ",\"last\":";
      AppendKeyArray(p, rows[insert_idx.back()], nkey);
      p += '}';
      drafts.push_back(AuditDraft{spec_.audit_noun + ".insert_batch", spec_.table, std::move(p)});
    }
    updates.reserve(update_idx.size());
    for (auto [i, old] : update_idx) {
      Row& r = rows[i];
      AuditDraft draft{spec_.audit_noun + ".update", SubjectOf(r), ""};
      std::string& p = draft.payload;
      p = "{\"changed\":[";
      bool first = true;
      for (size_t c : sorted_) {
        if (r[c] == (*old)[c]) continue;
        if (!first) p += ',';
        first = false;
        AppendJsonString(p, spec_.columns[c]);
      }
      p += "],\"new\":";
      AppendObject(p, r);
      p += ",\"old\":";
      AppendObject(p, *old);
      p += '}';
      drafts.push_back(std::move(draft));
      ++seq;
      if (!spec_.stamp_column.empty()) r.push_back(now);
      if (spec_.provenance) {
        r.push_back(std::to_string(seq));
        r.push_back(batch.shas[i]);
      }
      updates.push_back(std::move(r));
    }
    const bool copy_text = d.backend() == Backend::kPostgres && batch.copy_ends.size() == rows.size();
    if (!copy_text)
      for (size_t i : insert_idx) {
        Row& r = rows[i];
        if (!spec_.stamp_column.empty()) r.push_back(now);
        if (spec_.provenance) {
          r.push_back(batch_seq);
          r.push_back(std::move(batch.shas[i]));
        }
      }

    std::vector<std::string> write_cols = spec_.columns;
    if (!spec_.stamp_column.empty()) write_cols.push_back(spec_.stamp_column);
    if (spec_.provenance) {
      write_cols.push_back(kAuditSeqColumn);
      write_cols.push_back(kRowShaColumn);
    }

    // 4. New rows straight in; changed rows through a staging table and one UPDATE ... FROM.
    if (copy_text) {  // the rows' text was formatted by Prepare: values and sha, then the batch's tail
      std::vector<std::string> copy_cols = spec_.columns;
      std::string tail;
      if (spec_.provenance) copy_cols.push_back(kRowShaColumn);
      if (!spec_.stamp_column.empty()) {
        copy_cols.push_back(spec_.stamp_column);
        tail += '\t';
        Dialect::AppendCopyValue(tail, now);
      }
      if (spec_.provenance) {
        copy_cols.push_back(kAuditSeqColumn);
        tail += '\t' + batch_seq;
      }
      d.CopyText(db_, spec_.table, copy_cols, batch.copy_text, batch.copy_ends, insert_idx, tail);
    } else {
      d.BulkInsert(db_, spec_.table, write_cols, rows, insert_idx);
    }
    if (!updates.empty()) {
      std::string ddl = "CREATE TEMP TABLE suiji_stage_rows (";
      std::string set, on;
      for (size_t c = 0; c < write_cols.size(); ++c) {
        std::string q = QuoteIdent(write_cols[c]);
        ddl += (c ? ", " : "") + q + (write_cols[c] == kAuditSeqColumn ? " BIGINT NOT NULL" : " TEXT NOT NULL");
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

    // 5. The audit trail of exactly what changed.
    auto appended = AppendAudit(tx, actor, std::move(drafts));
    if (!appended) {
      first_load_ = FirstLoad{};
      return appended.error();
    }
    if (appended.value().back().seq != seq) {
      first_load_ = FirstLoad{};
      return Error{"store.audit", "audit seqs moved under the write lock", spec_.table};
    }
    if (first_load_.active)
      for (size_t i : insert_idx) first_load_.inserted.Add(batch.hashes[i]);
  } catch (const std::exception& e) {
    first_load_ = FirstLoad{};  // the transaction is unusable or rolled back: trust nothing cached
    return StoreError("store.upsert", e);
  }
  return counts;
}

Result<bool> Table::Rekey(Transaction& tx, const Row& old_key, const Row& new_key, std::string_view actor,
                          std::string_view reason) {
  const size_t nkey = spec_.key_columns;
  if (old_key.size() != nkey || new_key.size() != nkey) return Error{"store.key", "wrong number of key values", spec_.table};
  auto old_row = Get(old_key);
  if (!old_row) return old_row.error();
  if (!old_row.value()) return false;
  auto taken = Get(new_key);
  if (!taken) return taken.error();
  if (taken.value())
    return Error{"store.rekey_conflict",
                 SubjectOf(*taken.value()) + " already exists; " + SubjectOf(*old_row.value()) + " cannot take its key",
                 spec_.columns[0]};
  const Row& old = *old_row.value();
  Row row = old;
  for (size_t k = 0; k < nkey; ++k) row[k] = new_key[k];
  AuditDraft draft{spec_.audit_noun + ".update", SubjectOf(row), ""};
  std::string& p = draft.payload;
  p = "{\"changed\":[";
  bool first = true;
  for (size_t c : sorted_) {
    if (row[c] == old[c]) continue;
    if (!first) p += ',';
    first = false;
    AppendJsonString(p, spec_.columns[c]);
  }
  p += "],\"new\":";
  AppendObject(p, row);
  p += ",\"old\":";
  AppendObject(p, old);
  p += ",\"rekey\":{\"from\":";
  AppendKeyArray(p, old, nkey);
  p += ",\"reason\":";
  AppendJsonString(p, reason);
  p += ",\"to\":";
  AppendKeyArray(p, row, nkey);
  p += "}}";
  auto ev = AppendAudit(tx, actor, {std::move(draft)});
  if (!ev) return ev.error();
  std::string scratch;
  std::string sha = RowSha(row, scratch);
  std::string sql = "UPDATE " + QuoteIdent(spec_.table) + " SET ";
  for (size_t k = 0; k < nkey; ++k) sql += (k ? ", " : "") + QuoteIdent(spec_.columns[k]) + " = :n" + std::to_string(k);
  if (spec_.provenance)
    sql += std::string(", ") + kAuditSeqColumn + " = :seq, " + kRowShaColumn + " = :sha";
  sql += " WHERE ";
  for (size_t k = 0; k < nkey; ++k) sql += (k ? " AND " : "") + QuoteIdent(spec_.columns[k]) + " = :o" + std::to_string(k);
  try {
    soci::statement st(db_.session());
    std::vector<std::string> nk(new_key), ok(old_key);
    long long seq = ev.value().front().seq;
    for (size_t k = 0; k < nkey; ++k) st.exchange(soci::use(nk[k], "n" + std::to_string(k)));
    if (spec_.provenance) {
      st.exchange(soci::use(seq, "seq"));
      st.exchange(soci::use(sha, "sha"));
    }
    for (size_t k = 0; k < nkey; ++k) st.exchange(soci::use(ok[k], "o" + std::to_string(k)));
    st.alloc();
    st.prepare(sql);
    st.define_and_bind();
    st.execute(true);
  } catch (const std::exception& e) {
    return StoreError("store.rekey", e);
  }
  return true;
}

Result<ProvenanceReport> Table::VerifyProvenance(size_t max_problems) {
  ProvenanceReport rep;
  rep.table = spec_.table;
  if (!spec_.provenance) return Error{"store.provenance", "table has no provenance columns", spec_.table};
  const size_t ncol = spec_.columns.size(), nkey = spec_.key_columns;
  auto problem = [&](std::string line) {
    ++rep.problem_count;
    if (rep.problems.size() < max_problems) rep.problems.push_back(std::move(line));
  };
  auto key_text = [&](const Row& r) {
    std::string k;
    AppendKeyArray(k, r, nkey);
    return k;
  };
  try {
    // 1. Every row: content vs its row_sha256; how many rows each event still accounts for.
    std::map<std::int64_t, std::int64_t> rows_of;  // audit_seq -> rows carrying it
    std::string object;
    const std::string cols = ColumnList() + ", " + QuoteIdent(kAuditSeqColumn) + ", " + QuoteIdent(kRowShaColumn);
    Scan(cols, ncol + 2, [&](const Row& r) {
      ++rep.rows;
      const std::int64_t seq = std::stoll(r[ncol]);
      if (seq == 0) {
        ++rep.legacy_rows;
        return true;
      }
      ++rows_of[seq];
      Row values(r.begin(), r.begin() + ncol);
      if (RowSha(values, object) != r[ncol + 1])
        problem(spec_.table + " " + key_text(r) + ": content does not match its row_sha256 (edited row; last written by seq " +
                r[ncol] + ")");
      return true;
    }, 10000);

    // 2. Every event of this table's noun, against the rows that still carry its seq.
    const std::string batch_action = spec_.audit_noun + ".insert_batch", update_action = spec_.audit_noun + ".update";
    std::string key_cols;
    for (size_t k = 0; k < nkey; ++k) key_cols += QuoteIdent(spec_.columns[k]) + ", ";
    const std::string by_seq = "SELECT " + key_cols + QuoteIdent(kRowShaColumn) + " FROM " + QuoteIdent(spec_.table) +
                               " WHERE " + QuoteIdent(kAuditSeqColumn) + " = :n0";
    auto rows_with_seq = [&](std::int64_t seq) {
      std::vector<std::string> sp;
      std::vector<long long> ip = {seq};
      return Query(by_seq, sp, ip, nkey + 1);
    };
    std::int64_t after = 0;
    for (;;) {
      auto page = ListAudit(db_, after, 10000);
      if (!page) return page.error();
      if (page.value().empty()) break;
      for (const AuditEvent& e : page.value()) {
        after = e.seq;
        if (e.action != batch_action && e.action != update_action) continue;
        auto it = rows_of.find(e.seq);
        const std::int64_t have = it == rows_of.end() ? 0 : it->second;
        if (it != rows_of.end()) rows_of.erase(it);
        Json p = Json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
        const std::string at = spec_.table + " seq " + std::to_string(e.seq) + " (" + e.action + "): ";
        if (e.action == batch_action) {
          if (p.is_discarded() || !p.contains("count") || !p["count"].is_number_integer() || !p.contains("digest")) {
            problem(at + "payload is not an insert_batch payload");
            continue;
          }
          const std::int64_t count = p["count"].get<std::int64_t>();
          if (have > count) {
            problem(at + std::to_string(have) + " rows carry this seq, the event inserted " + std::to_string(count));
          } else if (have < count) {
            ++rep.batches_partial;  // later updates replaced some rows; their events keep the old values
          } else {
            auto rows = rows_with_seq(e.seq);
            std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return KeyLess(a, b, nkey); });
            std::string lines;
            for (const Row& r : rows) AppendDigestLine(lines, r, nkey, r[nkey]);
            const std::string digest = Sha256Hex(lines);
            if (rows.empty() || digest != p["digest"] || Json::parse(key_text(rows.front())) != p["first"] ||
                Json::parse(key_text(rows.back())) != p["last"])
              problem(at + "the digest of its " + std::to_string(rows.size()) + " rows is " + digest + ", the event says " +
                      p["digest"].dump() + " (a key or row_sha256 was changed)");
            else
              ++rep.batches;
          }
        } else if (have > 1) {
          problem(at + std::to_string(have) + " rows carry the seq of a one-row update");
        } else if (have == 1) {
          auto rows = rows_with_seq(e.seq);
          if (rows.size() != 1 || p.is_discarded() || !p.contains("new")) {
            problem(at + "update payload or row unreadable");
            continue;
          }
          std::string subject = spec_.table;
          for (size_t k = 0; k < nkey; ++k) subject += "/" + rows[0][k];
          const std::string want = Sha256Hex(CanonicalJson(p["new"]));
          if (subject != e.subject)
            problem(at + "row " + key_text(rows[0]) + " carries the seq of an update of " + e.subject);
          else if (want != rows[0][nkey])
            problem(at + "row " + key_text(rows[0]) + " row_sha256 " + rows[0][nkey] +
                    " differs from the update's new values " + want);
          else
            ++rep.updates;
        }
      }
    }
    for (const auto& [seq, n] : rows_of)
      problem(spec_.table + ": " + std::to_string(n) + " rows carry seq " + std::to_string(seq) +
              ", which is not an insert or update of this table");
  } catch (const std::exception& e) {
    return StoreError("store.provenance", e);
  }
  return rep;
}

}  // namespace suiji::store
