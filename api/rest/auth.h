// Who is calling and what they may see.
//
//   Authenticate  "Authorization: Bearer <token>" -> the client holding SHA-256(token) in the token
//                 store (constant-time comparison there), refused when revoked (the store reloads within
//                 a second) or expired (expires_at against the server clock).
//   FailureLimiter  (core/limiters.h) refused tokens per client address (a request without one is no
//                 guess and is not counted): after kMaxFailures within kWindow, every request from that
//                 address is refused with 429 and Retry-After until the window ends.
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
#include "core/limiters.h"
#include "core/org_units.h"
#include "core/region.h"

namespace suiji::rest {

using ::suiji::FailureLimiter;
using ::suiji::RequestLimiter;

struct Principal {
  std::string client_id, department, role, org_unit, officer;
};

// nullopt + reason when the request carries no valid, unexpired token. `now_iso` is the server clock
// (ISO 8601 UTC) that expires_at is compared with.
std::optional<Principal> Authenticate(const Request& req, const rpc::TokenStore& tokens, const std::string& now_iso,
                                      std::string* reason);

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
