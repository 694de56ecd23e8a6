// Services: what every request may use — the database pool (a lease per request, counted in the
// metrics), the token store, the region table, the org-unit hierarchy (reloaded at most once a
// second, so an import of org units bites within a second), the metrics and the route table.
#pragma once
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "api/app/rpc_backend.h"
#include "api/rest/auth.h"
#include "api/rest/cache.h"
#include "api/rest/metrics.h"
#include "api/rest/router.h"
#include "api/thrift/token_store.h"
#include "core/calendar.h"
#include "core/org_units.h"
#include "core/region.h"
#include "rules/credit_model.h"

namespace suiji::rest {

// A database connection held for one request; the in-use gauge follows it.
class DbLease {
 public:
  DbLease(app::DbPool::Lease lease, Metrics* m) : lease_(std::move(lease)), metrics_(m) {}
  DbLease(DbLease&& o) noexcept : lease_(std::move(o.lease_)), metrics_(o.metrics_) { o.metrics_ = nullptr; }
  DbLease& operator=(DbLease&&) = delete;
  ~DbLease() {
    if (metrics_) --metrics_->leases_in_use;
  }
  store::Database& operator*() { return *lease_; }
  store::Database* operator->() { return &*lease_; }

 private:
  app::DbPool::Lease lease_;
  Metrics* metrics_;
};

struct Services {
  std::shared_ptr<app::DbPool> pool;
  // The public routes' reads (serve --public-db: e.g. a PostgreSQL hot standby); null = `pool`.
  std::shared_ptr<app::DbPool> public_pool;
  std::shared_ptr<const rpc::TokenStore> tokens;
  const RegionTable* regions = nullptr;
  Metrics metrics;
  FailureLimiter limiter;
  RequestLimiter public_limiter;  // the anonymous public routes (serve --public-rate)
  ResponseCache cache;
  Router router;
  std::string version;
  unsigned threads = 1;  // for recomputing draws
  std::shared_ptr<const rules::CreditModel> model;
  std::shared_ptr<const WorkingCalendar> calendar;  // the publication deadline (data/reference/calendar)
  std::string evidence_dir;                         // where evidence files are stored, content-addressed
  std::string bulk_dir;                             // the public record's daily files (suiji public bulk)  // for explanations; --model, else the example model

  Result<DbLease> Lease();
  // A connection for the public routes' reads: from public_pool when there is one.
  Result<DbLease> PublicLease();
  // The stored hierarchy (possibly empty), cached for a second.
  Result<std::shared_ptr<const OrgUnits>> Units();

 private:
  Result<DbLease> LeaseFrom(app::DbPool& from);
  std::mutex units_mu_;
  std::shared_ptr<const OrgUnits> units_;
  std::chrono::steady_clock::time_point units_at_{};
};

}  // namespace suiji::rest
