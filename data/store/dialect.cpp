#include "data/store/dialect.h"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <stdexcept>

namespace suiji::store {
namespace {

// Any 64-bit constant works; it names the store's single write lock for pg_advisory_xact_lock.
constexpr long long kWriteLockKey = 0x7375696a69LL;  // "suiji"

// COPY text format: backslash, and the delimiter/row characters, are escaped.
void AppendCopyField(std::string& out, const std::string& v) {
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

void PgCopy(Database& db, const std::string& table, const std::vector<std::string>& columns,
            const std::vector<Row>& rows) {
  auto* be = static_cast<soci::postgresql_session_backend*>(db.session().get_backend());
  PGconn* conn = be->conn_;
  std::string sql = "COPY " + QuoteIdent(table) + " (";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + QuoteIdent(columns[i]);
  sql += ") FROM STDIN";
  PGresult* r = PQexec(conn, sql.c_str());
  bool started = PQresultStatus(r) == PGRES_COPY_IN;
  std::string err = started ? "" : PQresultErrorMessage(r);
  PQclear(r);
  if (!started) throw std::runtime_error("COPY " + table + ": " + err);

  std::string buf;
  buf.reserve(1 << 20);
  auto flush = [&] {
    if (!buf.empty() && PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) != 1)
      throw std::runtime_error("COPY " + table + ": " + PQerrorMessage(conn));
    buf.clear();
  };
  for (const Row& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) buf += '\t';
      AppendCopyField(buf, row[i]);
    }
    buf += '\n';
    if (buf.size() >= (1 << 20) - 4096) flush();
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

void SqliteInsert(Database& db, const std::string& table, const std::vector<std::string>& columns,
                  const std::vector<Row>& rows) {
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
  for (size_t start = 0; start < rows.size(); start += kBatch) {
    size_t n = std::min(kBatch, rows.size() - start);
    for (size_t j = 0; j < columns.size(); ++j) {
      cols[j].resize(n);
      for (size_t k = 0; k < n; ++k) cols[j][k] = rows[start + k][j];
    }
    st.execute(true);
  }
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
  if (rows.empty()) return;
  for (const Row& r : rows)
    if (r.size() != columns.size()) throw std::logic_error("BulkInsert: row width differs from columns");
  if (backend_ == Backend::kPostgres)
    PgCopy(db, table, columns, rows);
  else
    SqliteInsert(db, table, columns, rows);
}

}  // namespace suiji::store
