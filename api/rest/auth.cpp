#include "api/rest/auth.h"

namespace suiji::rest {

std::optional<Principal> Authenticate(const Request& req, const rpc::TokenStore& tokens, const std::string& now_iso,
                                      std::string* reason) {
  const std::string h = req.Header("authorization");
  if (h.empty()) {
    *reason = "this route needs a bearer token (Authorization: Bearer sjt_...)";
    return std::nullopt;
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (h.size() <= kBearer.size() || h.compare(0, kBearer.size(), kBearer) != 0) {
    *reason = "the Authorization header must be 'Bearer <token>'";
    return std::nullopt;
  }
  auto client = tokens.Find(rpc::HashToken(std::string_view(h).substr(kBearer.size())));
  if (!client) {
    *reason = "the token is not valid (unknown or revoked)";
    return std::nullopt;
  }
  if (!client->expires_at.empty() && client->expires_at <= now_iso.substr(0, client->expires_at.size())) {
    *reason = "the token expired at " + client->expires_at;
    return std::nullopt;
  }
  return Principal{client->id, client->department, client->role, client->org_unit, client->officer};
}

long FailureLimiter::RetryAfter(const std::string& client, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(client);
  if (it == windows_.end()) return 0;
  auto end = it->second.start + kWindow;
  if (now >= end) {
    windows_.erase(it);
    return 0;
  }
  if (it->second.failures < kMaxFailures) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(end - now).count() + 1;
}

void FailureLimiter::Fail(const std::string& client, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  if (windows_.size() > 100000) windows_.clear();  // bounded memory under a spray of addresses
  auto& w = windows_[client];
  if (w.failures == 0 || now >= w.start + kWindow) w = Window{now, 0};
  ++w.failures;
}

bool RequestLimiter::Allow(const std::string& client, std::chrono::steady_clock::time_point now) {
  if (per_second_ <= 0) return true;
  std::lock_guard lock(mu_);
  if (windows_.size() > 100000) windows_.clear();  // bounded memory under a spray of addresses
  auto& w = windows_[client];
  if (w.count == 0 || now >= w.start + std::chrono::seconds(1)) w = Window{now, 0};
  return ++w.count <= per_second_;
}

bool Scope::SeesUnit(const std::string& code) const {
  if (all()) return true;
  if (code == unit_) return true;
  return units_ && units_->Find(unit_) && units_->Find(code) && units_->Sees(unit_, code);
}

std::string Scope::Region() const {
  if (all() || !units_) return "";
  const OrgUnit* u = units_->Find(unit_);
  return u ? u->region : "";
}

bool Scope::SeesRegion(const std::string& region) const {
  if (all()) return true;
  std::string mine = Region();
  if (mine.empty()) return false;
  return mine == kNationalRegion || RegionTable::Covers(mine, region);
}

}  // namespace suiji::rest
