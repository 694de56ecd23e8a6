#include "api/rest/handlers.h"

#include <exception>

#include "api/app/roles.h"
#include "data/store/clock.h"

namespace suiji::rest {

Response Call::Ok(const JsonDoc& body, int status) const {
  return Json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<PageParams> ParsePage(const Request& req, Problem* problem) {
  PageParams p;
  if (req.HasQuery("limit")) {
    const std::string v = req.Query("limit");
    std::int64_t n = 0;
    bool ok = !v.empty() && v.size() <= 4;
    for (char c : v) ok = ok && c >= '0' && c <= '9';
    if (ok) n = std::stoll(v);
    if (!ok || n < 1 || n > 500) {
      *problem = BadRequest("limit must be a whole number from 1 to 500", {{"limit", "'" + v + "' is out of range"}});
      return std::nullopt;
    }
    p.limit = n;
  }
  p.after = req.Query("after");
  if (p.after.size() > 256) {
    *problem = BadRequest("after is a cursor of at most 256 characters", {{"after", "too long"}});
    return std::nullopt;
  }
  return p;
}

std::optional<Problem> OnlyQuery(const Request& req, std::initializer_list<const char*> known) {
  for (const auto& [k, v] : req.query) {
    bool ok = false;
    for (const char* n : known) ok = ok || k == n;
    if (!ok) {
      std::string names;
      for (const char* n : known) names += (names.empty() ? "" : ", ") + std::string(n);
      return BadRequest("unknown query parameter '" + k + "'" + (names.empty() ? "" : " (known: " + names + ")"),
                        {{k, "not a parameter of this route"}});
    }
  }
  return std::nullopt;
}

Router ApiRouter() {
  Router r;
  AddOpsRoutes(r);
  AddOrgUnitRoutes(r);
  AddEntityRoutes(r);
  AddDrawRoutes(r);
  return r;
}

Response Dispatch(Services& svc, const Request& req, std::string* route_template) {
  *route_template = "unmatched";
  Match m = svc.router.Find(req.method, req.path);
  if (m.kind == Match::kMethodNotAllowed) {
    std::string allow;
    for (const auto& a : m.allow) allow += (allow.empty() ? "" : ", ") + a;
    Response r = Render({405, "method-not-allowed", "Method not allowed",
                         req.method + " is not allowed on " + req.path + " (allowed: " + allow + ")", {}},
                        req.request_id);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  if (m.kind == Match::kBadPath)
    return Render(BadRequest("a path segment is not valid (bad %-escape, invalid UTF-8, '.' or '..')"), req.request_id);
  if (m.kind != Match::kFound) return Render(NotFound("no route " + req.path), req.request_id);
  *route_template = m.route->path;

  std::optional<Principal> who;
  Scope scope;
  if (!m.route->action.empty()) {
    const auto now = std::chrono::steady_clock::now();
    if (long wait = svc.limiter.RetryAfter(req.client, now); wait > 0) {
      Response r = Render({429, "too-many-requests", "Too many failed authentications",
                           "too many failed authentications from this address; try again later", {}},
                          req.request_id);
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }
    std::string reason;
    who = Authenticate(req, *svc.tokens, store::SystemClock()(), &reason);
    if (!who) {
      svc.limiter.Fail(req.client, now);
      Response r = Render(Unauthorized(reason), req.request_id);
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"suiji\"");
      return r;
    }
    if (!app::RoleAllows(who->role, m.route->action))
      return Render(Forbidden("role " + who->role + " may not " + m.route->action), req.request_id);
    if (!who->org_unit.empty()) {
      auto units = svc.Units();
      if (!units) return Render(Unavailable("the org-unit hierarchy cannot be read now"), req.request_id);
      scope = Scope(who->org_unit, units.value());
    }
  }
  Call call{req, m.params, who ? &*who : nullptr, scope, svc};
  try {
    return m.route->handler(call);
  } catch (const std::exception&) {
    return Render(Internal(), req.request_id);
  }
}

}  // namespace suiji::rest
