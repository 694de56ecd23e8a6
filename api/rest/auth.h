// Who is calling and what they may see.
//
//   Authenticate  "Authorization: Bearer <token>" -> the client holding SHA-256(token) in the token
//                 store (constant-time comparison there), refused when revoked (the store reloads within
//                 a second) or expired (expires_at against the server clock).
//   FailureLimiter  refused tokens per client address (a request without one is no guess and is not
//                 counted): after kMaxFailures within kWindow, every
//                 request from that address is refused with 429 and Retry-After until the window ends.
//   Scope         a principal's part of the org-unit hierarchy: its own unit and those below it; never
//                 above or beside. A principal without an org unit (national, integration) sees all. A
//                 unit that is not in the loaded hierarchy sees only records naming exactly it.
#pragma once
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/rest/http.h"
#include "api/thrift/token_store.h"
#include "core/org_units.h"
#include "core/region.h"

namespace suiji::rest {

struct Principal {
  std::string client_id, department, role, org_unit, officer;
};

// nullopt + reason when the request carries no valid, unexpired token. `now_iso` is the server clock
// (ISO 8601 UTC) that expires_at is compared with.
std::optional<Principal> Authenticate(const Request& req, const rpc::TokenStore& tokens, const std::string& now_iso,
                                      std::string* reason);

class FailureLimiter {
 public:
  static constexpr int kMaxFailures = 10;
  static constexpr std::chrono::seconds kWindow{60};
  // Seconds until `client` may try again, or 0.
  long RetryAfter(const std::string& client, std::chrono::steady_clock::time_point now);
  void Fail(const std::string& client, std::chrono::steady_clock::time_point now);

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int failures = 0;
  };
  std::mutex mu_;
  std::map<std::string, Window> windows_;
};

// Requests per second per client address on the anonymous public routes (0 = no limit): one window
// per address and second; past the limit, 429 with Retry-After: 1.
class RequestLimiter {
 public:
  explicit RequestLimiter(long per_second = 0) : per_second_(per_second) {}
  void SetRate(long per_second) { per_second_ = per_second; }
  long rate() const { return per_second_; }
  // true when this request may go on.
  bool Allow(const std::string& client, std::chrono::steady_clock::time_point now);

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    long count = 0;
  };
  long per_second_;
  std::mutex mu_;
  std::map<std::string, Window> windows_;
};

class Scope {
 public:
  Scope() = default;  // sees everything
  Scope(std::string unit, std::shared_ptr<const OrgUnits> units) : unit_(std::move(unit)), units_(std::move(units)) {}
  bool all() const { return unit_.empty(); }
  const std::string& unit() const { return unit_; }
  // Records of org unit `code`.
  bool SeesUnit(const std::string& code) const;
  // The region the principal's unit covers ("" when it sees all, or its unit has no known region:
  // then SeesRegion is false for every region, failing closed).
  std::string Region() const;
  bool SeesRegion(const std::string& region) const;

 private:
  std::string unit_;
  std::shared_ptr<const OrgUnits> units_;
};

}  // namespace suiji::rest
