#include "data/store/database.h"

#include <algorithm>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "data/store/dialect.h"
#include "data/store/timeouts.h"

namespace suiji::store {

const char* BackendName(Backend b) { return b == Backend::kSqlite ? "sqlite" : "postgresql"; }

namespace {
thread_local std::uint64_t statement_timeouts = 0;
}

std::uint64_t StatementTimeoutsOnThisThread() { return statement_timeouts; }

void NoteIfStatementTimeout(const std::exception& e) {
  if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e); pg && pg->sqlstate() == "57014") ++statement_timeouts;
}

Status SetStatementTimeout(Database& db, std::chrono::milliseconds timeout) {
  if (db.backend() != Backend::kPostgres) return OkStatus();
  try {
    // The one place the session's timeout is set: an integer number of milliseconds, formatted here.
    db.session() << "SET statement_timeout = " + std::to_string(std::max<long long>(0, timeout.count()));
  } catch (const std::exception& e) {
    return StoreError("db.timeout", e);
  }
  return OkStatus();
}

Error StoreError(std::string_view code, const std::exception& e) {
  NoteIfStatementTimeout(e);
  // Always "store.*": adapters map that to an internal error and never show the driver's message.
  std::string c(code);
  if (c.rfind("store.", 0) != 0) c = "store." + c;
  return Error{c, e.what(), ""};
}

Database::Database(std::string url, std::unique_ptr<soci::session> s, std::unique_ptr<Dialect> d, Clock c)
    : url_(std::move(url)), session_(std::move(s)), dialect_(std::move(d)), clock_(std::move(c)) {}

Database::~Database() = default;

bool Database::Connected() const { return session_->is_connected(); }

bool Database::Ping() {
  try {
    int one = 0;
    *session_ << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (const std::exception&) {
    return false;
  }
}

Backend Database::backend() const { return dialect_->backend(); }

Result<std::unique_ptr<Database>> Database::Open(std::string_view url_in, Clock clock) {
  std::string url(url_in);
  Backend backend;
  std::string connect;
  if (url.starts_with("sqlite:")) {
    backend = Backend::kSqlite;
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);  // tolerate sqlite://PATH
    if (path.empty()) return Error{"db.url", "sqlite: URL without a path", url};
    // SOCI parses "key=value" pairs; a quoted db value keeps spaces and '=' in paths intact.
    if (path.find('"') != std::string::npos)
      return Error{"db.url", "sqlite path must not contain a double quote", url};
    connect = "db=\"" + path + "\"";
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    backend = Backend::kPostgres;
    connect = url;  // libpq understands the whole URI (host=/socket/dir etc.)
  } else {
    return Error{"db.url", "unknown database URL; use sqlite:PATH or postgresql://...", url};
  }
  try {
    auto session = std::make_unique<soci::session>();
    if (backend == Backend::kSqlite)
      session->open(*soci::factory_sqlite3(), connect);
    else
      session->open(*soci::factory_postgresql(), connect);
    auto dialect = std::make_unique<Dialect>(backend);
    dialect->SetupSession(*session);
    return std::unique_ptr<Database>(new Database(url, std::move(session), std::move(dialect), std::move(clock)));
  } catch (const std::exception& e) {
    return Error{"db.open", std::string("cannot open ") + BackendName(backend) + " database: " + e.what(), url};
  }
}

Result<Transaction> Transaction::Begin(Database& db) {
  try {
    db.dialect().BeginWrite(db.session());
  } catch (const std::exception& e) {
    try {
      db.session() << "ROLLBACK";
    } catch (...) {
    }
    return StoreError("db.begin", e);
  }
  return Transaction(db, ++db.transactions_begun_);
}

Transaction::~Transaction() { Rollback(); }

Status Transaction::Commit() {
  if (!open_) return Error{"db.tx", "transaction is not open", ""};
  open_ = false;
  try {
    db_->session() << "COMMIT";
  } catch (const std::exception& e) {
    try {
      db_->session() << "ROLLBACK";
    } catch (...) {
    }
    return StoreError("db.commit", e);
  }
  return OkStatus();
}

void Transaction::Rollback() {
  if (!open_) return;
  open_ = false;
  try {
    db_->session() << "ROLLBACK";
  } catch (...) {
    // The connection is gone or the transaction already ended; nothing was committed either way.
  }
}

}  // namespace suiji::store
