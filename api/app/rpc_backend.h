// The Thrift service over the store: `suiji serve` wires these into rpc::ThriftServer.
//
//   DbPool            a few open Database connections for many server threads (Database is not
//                     thread-safe): Acquire() lends one exclusively, the lease gives it back. With a
//                     statement timeout, every PostgreSQL connection it opens carries
//                     `SET statement_timeout` (suiji serve --db-timeout-ms): a statement stuck behind a
//                     lock or on an overloaded server is cancelled (store/timeouts.h) instead of holding
//                     its server thread without bound. SQLite ignores it (its busy timeout is 10 s).
//   DbTokenStore      rpc::TokenStore over api_clients. Keeps the active clients' hashes in memory and
//                     reloads them when older than `refresh` (default 1 s), so a revocation takes effect
//                     within that interval. Lookups scan every entry with a constant-time compare, like
//                     InMemoryTokenStore. A failed reload fails closed: no token is accepted until the
//                     database answers again.
//   DbCreditBackend   rpc::CreditBackend over the credit tables (0003) and the push ledger (0004):
//                     - GetEntity: register name, list memberships (listed on or before as_of; removal
//                       shown once it happened by as_of), flags in force on as_of;
//                     - BatchFlags: chunked IN queries (a few queries per 500 codes, not one per code);
//                     - GetClassification: the entity's score in the latest run with as_of <= today;
//                       contributions are recomputed when a model was given and the recomputation
//                       matches the stored score, else empty;
//                     - Record*: one Transaction per call (all or nothing), idempotent per
//                       (department, key) through rpc_pushes; rows go into penalties /
//                       list_memberships / external_indicators with their usual audit events (actor
//                       "rpc:<client id>") plus one "rpc.push" summary event.
//   AddApiClient / RevokeApiClient: the `suiji client` use cases.
//
// List names: the service's "abnormal_operations" / "serious_violation" are the store's
// "abnormal" / "serious". A store flag's end_on is exclusive; the service's ends_on is the last day.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/thrift/credit_backend.h"
#include "api/thrift/token_store.h"
#include "core/result.h"
#include "data/store/client_store.h"
#include "data/store/database.h"
#include "rules/credit_model.h"

namespace suiji::app {

class DbPool : public std::enable_shared_from_this<DbPool> {
 public:
  // Opens one connection at once, so a bad URL fails here rather than on the first call.
  // statement_timeout: 0 = none; else PostgreSQL cancels any statement of these connections past it.
  static Result<std::shared_ptr<DbPool>> Open(std::string url, std::size_t max_idle = 8,
                                              store::Clock clock = store::SystemClock(),
                                              std::chrono::milliseconds statement_timeout = {});

  class Lease {
   public:
    Lease(std::shared_ptr<DbPool> pool, std::unique_ptr<store::Database> db, std::uint64_t timeouts = 0)
        : pool_(std::move(pool)), db_(std::move(db)), timeouts_(timeouts) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    store::Database& operator*() { return *db_; }
    store::Database* operator->() { return db_.get(); }

   private:
    std::shared_ptr<DbPool> pool_;
    std::unique_ptr<store::Database> db_;
    std::uint64_t timeouts_;  // store::StatementTimeoutsOnThisThread() when lent
  };
  // An idle connection, or a new one. A connection the server closed (a restart, a cut) is dropped when
  // it comes back, and one idle for over a second is pinged before it is handed out, so after the
  // database returns no request meets a dead connection. Other failed statements leave it usable (a
  // Transaction that was not committed has rolled back).
  // With a statement timeout: when a lease comes back after one of its statements was cancelled for it,
  // Acquire fails at once ("db.slow") for the next kSlowBackoff, without asking the database. The HTTP
  // workers serve their connections one request at a time, so without this every request queued behind
  // a stuck one would wait its own full timeout in turn; with it they are answered 503 at once, and one
  // request per worker tries the database again after the back-off.
  static constexpr std::chrono::milliseconds kSlowBackoff{1000};
  Result<Lease> Acquire();
  std::size_t idle() const;
  // Whether a new connection can be opened now (the database answers).
  bool Reachable() const;
  std::chrono::milliseconds statement_timeout() const { return statement_timeout_; }

 private:
  DbPool(std::string url, std::size_t max_idle, store::Clock clock, std::chrono::milliseconds statement_timeout)
      : url_(std::move(url)), max_idle_(max_idle), clock_(std::move(clock)), statement_timeout_(statement_timeout) {}
  void Release(std::unique_ptr<store::Database> db, std::uint64_t timeouts_when_lent);
  Result<std::unique_ptr<store::Database>> Connect() const;  // a new connection, its timeout set
  std::string url_;
  std::size_t max_idle_;
  store::Clock clock_;
  std::chrono::milliseconds statement_timeout_;
  std::atomic<std::int64_t> slow_until_{0};  // steady_clock ticks: Acquire fails fast before this
  mutable std::mutex mu_;
  struct Idle {
    std::unique_ptr<store::Database> db;
    std::chrono::steady_clock::time_point since;
  };
  std::vector<Idle> idle_;
};

class DbTokenStore : public rpc::TokenStore {
 public:
  explicit DbTokenStore(std::shared_ptr<DbPool> pool, std::chrono::milliseconds refresh = std::chrono::seconds(1),
                        std::function<void(std::string_view)> log = {});
  std::optional<rpc::Client> Find(const Digest& token_hash) const override;
  bool Available() const override;
  // Reloads now (also called by Find when the cache is stale).
  Status Reload() const;

 private:
  struct Entry {
    Digest hash;
    rpc::Client client;
  };
  std::shared_ptr<DbPool> pool_;
  std::chrono::milliseconds refresh_;
  std::function<void(std::string_view)> log_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const std::vector<Entry>> entries_;  // null: never loaded or last reload failed
  mutable std::chrono::steady_clock::time_point loaded_at_{};
  // Rows found equal to their api_client.add audit event, by client id: the row's fields as checked.
  // Checked once per change of a row, not on every reload.
  mutable std::mutex audited_mu_;
  mutable std::map<std::string, std::string> audited_;
};

struct DbBackendOptions {
  std::function<Date()> today;  // empty: rpc::TodayInChina()
  std::shared_ptr<const rules::CreditModel> model;  // optional: recompute contributions
};

class DbCreditBackend : public rpc::CreditBackend {
 public:
  explicit DbCreditBackend(std::shared_ptr<DbPool> pool, DbBackendOptions options = {});

  Result<rpc::EntityRecord> GetEntity(const EntityId& id, Date as_of) override;
  Result<std::vector<std::optional<std::vector<rpc::Flag>>>> BatchFlags(const std::vector<EntityId>& ids,
                                                                        Date as_of) override;
  Result<rpc::Classification> GetClassification(const EntityId& id) override;
  Result<std::vector<rpc::PushReceipt>> RecordPenalties(const rpc::Pusher& by,
                                                        const std::vector<rpc::Penalty>& items) override;
  Result<std::vector<rpc::PushReceipt>> RecordListDecisions(const rpc::Pusher& by,
                                                            const std::vector<rpc::ListDecision>& items) override;
  Result<std::vector<rpc::PushReceipt>> RecordIndicators(const rpc::Pusher& by,
                                                         const std::vector<rpc::ExternalIndicator>& items) override;
  // Stored in credit_repairs (decision_no is the record id) against the membership in force on the
  // decision date; UpdateFlags applies it. A decision number already stored with other content is
  // refused, whoever stored it.
  Result<std::vector<rpc::PushReceipt>> RecordRepairs(const rpc::Pusher& by,
                                                      const std::vector<rpc::RepairDecision>& items) override;

 private:
  Date Today() const;
  std::shared_ptr<DbPool> pool_;
  DbBackendOptions options_;
};

// ---- Clients ----------------------------------------------------------------------------------------------
struct NewApiClient {
  store::ClientRecord record;
  std::string token;  // shown once; only its hash is stored
};
// Validates the id (1-64 of [A-Za-z0-9._-]), department (non-empty) and scopes (rpc::ParseScopes,
// at least one), makes a token and stores the client in one transaction with its audit event.
struct ApiClientSpec {
  std::string client_id, department, scopes = "read_public";
  std::string role = "integration";  // api/app/roles.h
  std::string org_unit;              // '' = all units; else a loaded org unit
  std::string officer;               // role officer: a registered officer's certificate number
  std::string expires_at;            // '' = never
};
Result<NewApiClient> AddApiClient(store::Database& db, const ApiClientSpec& spec, const std::string& actor);
Result<NewApiClient> AddApiClient(store::Database& db, const std::string& client_id, const std::string& department,
                                  const std::string& scopes, const std::string& actor);
Result<store::ClientRecord> RevokeApiClient(store::Database& db, const std::string& client_id,
                                            const std::string& actor);

}  // namespace suiji::app
