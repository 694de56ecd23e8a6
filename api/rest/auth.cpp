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
