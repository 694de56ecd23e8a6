#include "data/store/dialect.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <cstring>
#include <stdexcept>

#include "data/store/json_text.h"

namespace suiji::store {
namespace {

// Any 64-bit constant works; it names the store's single write lock for pg_advisory_xact_lock.
constexpr long long kWriteLockKey = 0x7375696a69LL;  // "suiji"

// COPY text format: backslash, and the delimiter/row characters, are escaped. Runs between special
// characters are appended whole: most values have none.
void AppendCopyField(std::string& out, std::string_view v) {
  const char* p = v.data();
  const char* end = p + v.size();
  const char* run = p;
  while (p != end) {
    if (end - p >= 8) {  // eight bytes at a time while none is a control character or a backslash
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (!HasByteBelow(w, 0x20) && !HasByte(w, '\\')) {
        p += 8;
        continue;
      }
    }
    const char c = *p++;
    if (c != '\\' && c != '\t' && c != '\n' && c != '\r') continue;
    out.append(run, p - 1);
    out += '\\';
    out += c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
    run = p;
  }
  out.append(run, end);
}

PGconn* PgConn(Database& db) {
  return static_cast<soci::postgresql_session_backend*>(db.session().get_backend())->conn_;
}

// A text[] literal: every element double-quoted, '"' and '\\' backslash-escaped. It travels as a
// bound parameter ($n), never as SQL text.
void AppendArrayElement(std::string& out, const std::string& v) {
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

// One statement, keys as text[] parameters: an index probe per key, rows only for keys that exist.
std::vector<Row> PgSelectByKeys(Database& db, const std::string& table, const std::vector<std::string>& columns,
                                size_t nkey, const std::vector<Row>& rows) {
  std::vector<std::string> arrays(nkey);
  for (size_t k = 0; k < nkey; ++k) {
    std::string& a = arrays[k];
    a.reserve(rows.size() * (rows.empty() ? 0 : rows.front()[k].size() + 3) + 2);
    a += '{';
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i) a += ',';
      AppendArrayElement(a, rows[i][k]);
    }
    a += '}';
  }
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", t." : "t.") + QuoteIdent(columns[i]);
  sql += " FROM " + QuoteIdent(table) + " t";
  if (nkey == 1) {
    sql += " WHERE t." + QuoteIdent(columns[0]) + " = ANY($1::text[])";
  } else {
    std::string args, names, on;
    for (size_t k = 0; k < nkey; ++k) {
      args += (k ? ", $" : "$") + std::to_string(k + 1) + "::text[]";
      names += (k ? ", k" : "k") + std::to_string(k);
      on += (k ? " AND t." : "t.") + QuoteIdent(columns[k]) + " = u.k" + std::to_string(k);
    }
    sql += " JOIN unnest(" + args + ") AS u(" + names + ") ON " + on;
  }
  std::vector<const char*> values(nkey);
  for (size_t k = 0; k < nkey; ++k) values[k] = arrays[k].c_str();
  PGconn* conn = PgConn(db);
  // The planner sees a key list that is a few percent of the table and, costing every heap fetch
  // as a random read, picks a (parallel) sequential scan of the whole table: ~300 ms a 20,000-key
  // batch on 10^6 rows, against ~40 ms through the key index (a batch's rows sit together in the
  // heap when the file is re-imported in its own order). So the probe turns sequential scans off
  // for itself (transaction-local), then turns them back on.
  auto exec = [&](const char* text) {
    PGresult* res = PQexec(conn, text);
    const bool ok = PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK;
    std::string err = ok ? "" : PQresultErrorMessage(res);
    PQclear(res);
    if (!ok) throw std::runtime_error("select " + table + " by keys: " + err);
  };
  const bool big = rows.size() > 64;  // a short list gets the index anyway
  if (big) exec("SELECT set_config('enable_seqscan', 'off', true)");
  PGresult* r = PQexecParams(conn, sql.c_str(), static_cast<int>(nkey), nullptr, values.data(), nullptr, nullptr, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    std::string err = PQresultErrorMessage(r);
    PQclear(r);
    throw std::runtime_error("select " + table + " by keys: " + err);
  }
  if (big) exec("SELECT set_config('enable_seqscan', 'on', true)");
  const int n = PQntuples(r), ncol = static_cast<int>(columns.size());
  std::vector<Row> out(n, Row(ncol));
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < ncol; ++c) out[i][c].assign(PQgetvalue(r, i, c), PQgetlength(r, i, c));
  PQclear(r);
  return out;
}

// Streams n rows; emit(i, buf) appends row i's line (values, tab-separated, and the newline).
void PgCopyLines(Database& db, const std::string& table, const std::vector<std::string>& columns, size_t n,
                 const std::function<void(size_t, std::string&)>& emit) {
  PGconn* conn = PgConn(db);
  std::string sql = "COPY " + QuoteIdent(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + QuoteIdent(columns[i]);
  sql += ") FROM STDIN";
  PGresult* r = PQexec(conn, sql.c_str());
  bool started = PQresultStatus(r) == PGRES_COPY_IN;
  std::string err = started ? "" : PQresultErrorMessage(r);
  PQclear(r);
  if (!started) throw std::runtime_error("COPY " + table + ": " + err);

  std::string buf;
  constexpr size_t kChunk = 1 << 20;  // one PQputCopyData call per ~1 MiB
  buf.reserve(kChunk + 4096);
  auto flush = [&] {
    if (!buf.empty() && PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) != 1)
      throw std::runtime_error("COPY " + table + ": " + PQerrorMessage(conn));
    buf.clear();
  };
  for (size_t r = 0; r < n; ++r) {
    emit(r, buf);
    if (buf.size() >= kChunk) flush();
  }
  flush();
  if (PQputCopyEnd(conn, nullptr) != 1) throw std::runtime_error("COPY end: " + std::string(PQerrorMessage(conn)));
  std::string failure;
  while (PGresult* res = PQgetResult(conn)) {
    if (PQresultStatus(res) != PGRES_COMMAND_OK && failure.empty()) failure = PQresultErrorMessage(res);
    PQclear(res);
  }
  if (!failure.empty()) throw std::runtime_error("COPY " + table + ": " + failure);
}

void PgCopy(Database& db, const std::string& table, const std::vector<std::string>& columns, size_t n,
            const std::function<const Row&(size_t)>& row_at) {
  PgCopyLines(db, table, columns, n, [&](size_t r, std::string& buf) {
    const Row& row = row_at(r);  // its width was checked by BulkInsert
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) buf += '\t';
      AppendCopyField(buf, row[i]);
    }
    buf += '\n';
  });
}

void SqliteInsert(Database& db, const std::string& table, const std::vector<std::string>& columns, size_t count,
                  const std::function<const Row&(size_t)>& row_at) {
  constexpr size_t kBatch = 1000;
  std::string sql = "INSERT INTO " + QuoteIdent(table) + " (";
  std::string values;
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", " : "") + QuoteIdent(columns[i]);
    values += (i ? ", :c" : ":c") + std::to_string(i);
  }
  sql += ") VALUES (" + values + ")";
  std::vector<std::vector<std::string>> cols(columns.size());
  soci::statement st(db.session());
  for (auto& c : cols) {
    c.resize(kBatch);
    st.exchange(soci::use(c));
  }
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  for (size_t start = 0; start < count; start += kBatch) {
    size_t n = std::min(kBatch, count - start);
    for (size_t j = 0; j < columns.size(); ++j) cols[j].resize(n);
    for (size_t k = 0; k < n; ++k) {
      const Row& r = row_at(start + k);
      for (size_t j = 0; j < columns.size(); ++j) cols[j][k] = r[j];
    }
    st.execute(true);
  }
}

// Keys staged in a TEMP table and joined: SQLite probes the table's key index once per staged key.
std::vector<Row> SqliteSelectByKeys(Database& db, const std::string& table, const std::vector<std::string>& columns,
                                    size_t nkey, const std::vector<Row>& rows) {
  soci::session& s = db.session();
  std::vector<std::string> key_cols(columns.begin(), columns.begin() + nkey);
  std::string ddl = "CREATE TEMP TABLE suiji_stage_keys (", on;
  for (size_t k = 0; k < nkey; ++k) {
    ddl += (k ? ", " : "") + QuoteIdent(key_cols[k]) + " TEXT NOT NULL";
    on += (k ? " AND t." : "t.") + QuoteIdent(key_cols[k]) + " = k." + QuoteIdent(key_cols[k]);
  }
  s << "DROP TABLE IF EXISTS suiji_stage_keys";
  s << ddl + ")";
  std::vector<Row> keys;
  keys.reserve(rows.size());
  for (const Row& r : rows) keys.emplace_back(r.begin(), r.begin() + nkey);
  SqliteInsert(db, "suiji_stage_keys", key_cols, keys.size(), [&](size_t i) -> const Row& { return keys[i]; });

  constexpr size_t kFetch = 2000;
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", t." : "t.") + QuoteIdent(columns[i]);
  sql += " FROM " + QuoteIdent(table) + " t JOIN suiji_stage_keys k ON " + on;
  std::vector<std::vector<std::string>> cols(columns.size(), std::vector<std::string>(kFetch));
  soci::statement st(s);
  for (auto& c : cols) st.exchange(soci::into(c));
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  std::vector<Row> out;
  st.execute();
  while (st.fetch()) {
    for (size_t r = 0; r < cols[0].size(); ++r) {
      Row row(columns.size());
      for (size_t c = 0; c < columns.size(); ++c) row[c] = std::move(cols[c][r]);
      out.push_back(std::move(row));
    }
    for (auto& c : cols) c.resize(kFetch);
  }
  s << "DROP TABLE suiji_stage_keys";
  return out;
}

}  // namespace

std::string QuoteIdent(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void Dialect::SetupSession(soci::session& s) const {
  if (backend_ == Backend::kSqlite) {
    s << "PRAGMA foreign_keys = ON";
    s << "PRAGMA busy_timeout = 10000";
    std::string mode;
    s << "PRAGMA journal_mode = WAL", soci::into(mode);
    s << "PRAGMA synchronous = NORMAL";  // durable across application crashes; WAL makes it cheap
  } else {
    s << "SET client_encoding = 'UTF8'";
    s << "SET client_min_messages = warning";  // keep NOTICEs (IF NOT EXISTS ...) off stderr
  }
}

void Dialect::QuickAnalyze(soci::session& s, const std::string& table) const {
  if (backend_ == Backend::kSqlite) {
    s << "PRAGMA analysis_limit = 1000";
    s << "ANALYZE " + QuoteIdent(table);
    s << "PRAGMA analysis_limit = 0";
  } else {
    s << "SET default_statistics_target = 10";
    try {
      s << "ANALYZE " + QuoteIdent(table);
    } catch (...) {
      s << "RESET default_statistics_target";
      throw;
    }
    s << "RESET default_statistics_target";
  }
}

void Dialect::BeginWrite(soci::session& s) const {
  if (backend_ == Backend::kSqlite) {
    s << "BEGIN IMMEDIATE";
  } else {
    s << "BEGIN";
    long long key = kWriteLockKey;
    s << "SELECT pg_advisory_xact_lock(:k)", soci::use(key);
  }
}

void Dialect::BulkInsert(Database& db, const std::string& table, const std::vector<std::string>& columns,
                         const std::vector<Row>& rows) const {
  std::vector<size_t> all(rows.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  BulkInsert(db, table, columns, rows, all);
}

void Dialect::BulkInsert(Database& db, const std::string& table, const std::vector<std::string>& columns,
                         const std::vector<Row>& rows, const std::vector<size_t>& order) const {
  if (order.empty()) return;
  for (size_t i : order)
    if (i >= rows.size() || rows[i].size() != columns.size())
      throw std::logic_error("BulkInsert: row index out of range or row width differs from columns");
  auto row_at = [&](size_t k) -> const Row& { return rows[order[k]]; };
  if (backend_ == Backend::kPostgres)
    PgCopy(db, table, columns, order.size(), row_at);
  else
    SqliteInsert(db, table, columns, order.size(), row_at);
}

void Dialect::AppendCopyValue(std::string& out, std::string_view v) { AppendCopyField(out, v); }

void Dialect::CopyText(Database& db, const std::string& table, const std::vector<std::string>& columns,
                       const std::string& text, const std::vector<size_t>& ends, const std::vector<size_t>& order,
                       std::string_view tail) const {
  if (backend_ != Backend::kPostgres) throw std::logic_error("CopyText: PostgreSQL only");
  if (order.empty()) return;
  for (size_t i : order)
    if (i >= ends.size()) throw std::logic_error("CopyText: row index out of range");
  PgCopyLines(db, table, columns, order.size(), [&](size_t k, std::string& buf) {
    const size_t i = order[k], start = i ? ends[i - 1] : 0;
    buf.append(text, start, ends[i] - start);
    buf += tail;
    buf += '\n';
  });
}

std::vector<Row> Dialect::SelectByKeys(Database& db, const std::string& table, const std::vector<std::string>& columns,
                                       size_t nkey, const std::vector<Row>& rows) const {
  if (rows.empty()) return {};
  if (nkey == 0 || nkey > columns.size()) throw std::logic_error("SelectByKeys: bad key width");
  for (const Row& r : rows)
    if (r.size() < nkey) throw std::logic_error("SelectByKeys: row narrower than the key");
  if (backend_ == Backend::kPostgres) return PgSelectByKeys(db, table, columns, nkey, rows);
  return SqliteSelectByKeys(db, table, columns, nkey, rows);
}

}  // namespace suiji::store
