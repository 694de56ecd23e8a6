// Database: one open connection to the store, SQLite (embedded default) or PostgreSQL.
//
// URLs:  sqlite:PATH                      e.g. sqlite:suiji.db, sqlite:/var/lib/suiji/suiji.db
//        postgresql://user@host:port/db   any libpq URI, passed whole to libpq, so
//        postgresql://postgres@/suiji?host=/run/postgresql&port=5432 reaches a Unix socket.
// SQLite connections get foreign keys on, WAL journal and a busy timeout.
//
// Writes happen inside a Transaction owned by the caller: every repository write and every audit
// append takes a Transaction&, so one import is all-or-nothing. A Transaction that is destroyed
// without Commit() rolls back. Not thread-safe: one Database per thread (SOCI session semantics).
// Errors are returned, never thrown, across this API.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "data/store/clock.h"

namespace soci {
class session;
}

namespace suiji::store {

enum class Backend { kSqlite, kPostgres };
const char* BackendName(Backend b);  // "sqlite" | "postgresql"

class Dialect;

class Database {
 public:
  // Opens (and for SQLite creates) the database. Does not migrate: see migrations.h.
  static Result<std::unique_ptr<Database>> Open(std::string_view url, Clock clock = SystemClock());
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const;
  const Dialect& dialect() const { return *dialect_; }
  const std::string& url() const { return url_; }
  // Now, from the injected clock.
  std::string Now() const { return clock_(); }
  void set_clock(Clock clock) { clock_ = std::move(clock); }

  // The SOCI session, for the store's own files; callers outside data/store should not need it.
  soci::session& session() { return *session_; }
  // false once the server closed the connection (a statement failed on it); Ping() asks the server.
  bool Connected() const;
  bool Ping();
  // Increases with every Transaction::Begin: lets per-transaction caches (Table's first-load key
  // set) tell one transaction from the next even when a Transaction object reuses an address.
  std::uint64_t transactions_begun() const { return transactions_begun_; }

 private:
  friend class Transaction;
  Database(std::string url, std::unique_ptr<soci::session> s, std::unique_ptr<Dialect> d, Clock c);
  std::string url_;
  std::unique_ptr<soci::session> session_;
  std::unique_ptr<Dialect> dialect_;
  Clock clock_;
  std::uint64_t transactions_begun_ = 0;
};

// A write transaction. Begin() takes the backend's write lock (SQLite: BEGIN IMMEDIATE;
// PostgreSQL: a transaction-scoped advisory lock), so concurrent importers serialise instead of
// forking the audit chain.
class Transaction {
 public:
  static Result<Transaction> Begin(Database& db);
  Transaction(Transaction&& o) noexcept : db_(o.db_), open_(o.open_), serial_(o.serial_) { o.open_ = false; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();  // rolls back if still open

  Status Commit();
  void Rollback();
  bool open() const { return open_; }
  Database& db() { return *db_; }
  // This transaction's number on its Database (Database::transactions_begun() when it began).
  std::uint64_t serial() const { return serial_; }

 private:
  Transaction(Database& db, std::uint64_t serial) : db_(&db), open_(true), serial_(serial) {}
  Database* db_;
  bool open_;
  std::uint64_t serial_;
};

// An exception (SOCI errors, bad_alloc) as an Error with code "store.<code>" (the prefix added when missing).
Error StoreError(std::string_view code, const std::exception& e);

}  // namespace suiji::store
