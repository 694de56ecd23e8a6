#include "api/rest/handlers.h"

#include <exception>

#include "api/app/disclosure.h"
#include "api/app/roles.h"
#include "core/sha256.h"
#include "data/store/clock.h"
#include "data/store/idempotency_store.h"

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

std::string Actor(const Call& c) { return "api:" + (c.who ? c.who->client_id : std::string("anonymous")); }

Router ApiRouter() {
  Router r;
  AddOpsRoutes(r);
  AddOrgUnitRoutes(r);
  AddRegisterRoutes(r);
  AddEntityRoutes(r);
  AddPlanRoutes(r);
  AddDrawRoutes(r);
  AddAuditRoutes(r);
  AddUploadRoutes(r);
  AddCreditRoutes(r);
  AddResultRoutes(r);
  AddPublicRoutes(r);
  AddReportRoutes(r);
  return r;
}

namespace {

// Idempotency-Key on a POST: the first answer is kept per (client, key) and given again to a retry of
// the same request; the same key for another request is a 422, a retry while the first still runs a 409.
Response WithIdempotency(Call& call, const Handler& handler) {
  const std::string key = call.req.Header("idempotency-key");
  if (call.req.method != "POST" || key.empty() || !call.who) return handler(call);
  if (key.size() > 128 || !ValidUtf8(key))
    return call.Fail(BadRequest("Idempotency-Key is at most 128 characters of UTF-8", {{"Idempotency-Key", "too long"}}));
  auto db = call.svc.Lease();
  if (!db) return call.Fail(Unavailable("no database connection"));
  const std::string hash = Sha256Hex(call.req.method + "\n" + call.req.path + "\n" + call.req.body);
  const std::string& client = call.who->client_id;
  auto claimed = store::ClaimIdempotencyKey(*db.value(), client, key, hash);
  if (!claimed) return call.Fail(claimed.error());
  if (!claimed.value()) {
    auto rec = store::GetIdempotencyKey(*db.value(), client, key);
    if (!rec) return call.Fail(rec.error());
    if (!rec.value()) return call.Fail(Conflict("the request with this Idempotency-Key is being retried; try again"));
    if (rec.value()->request_sha256 != hash)
      return call.Fail(Unprocessable("this Idempotency-Key was used for a different request",
                                     {{"Idempotency-Key", "reused with another method, path or body"}}));
    if (rec.value()->state != "done")
      return call.Fail(Conflict("the first request with this Idempotency-Key is still running"));
    Response replay;
    replay.status = rec.value()->status;
    replay.content_type = rec.value()->content_type;
    replay.body = rec.value()->body;
    replay.headers.emplace_back("Idempotency-Replayed", "true");
    return replay;
  }
  Response r;
  try {
    r = handler(call);
  } catch (...) {
    (void)store::ReleaseIdempotencyKey(*db.value(), client, key);
    throw;
  }
  if (r.status >= 500) (void)store::ReleaseIdempotencyKey(*db.value(), client, key);
  else if (auto st = store::CompleteIdempotencyKey(*db.value(), client, key, r.status, r.content_type, r.Body()); !st)
    (void)store::ReleaseIdempotencyKey(*db.value(), client, key);
  return r;
}

}  // namespace

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
    static const store::Clock clock = store::SystemClock();
    who = Authenticate(req, *svc.tokens, clock(), &reason);
    if (!who && !svc.tokens->Available())
      return Render(Unavailable("tokens cannot be checked now: the database does not answer"), req.request_id);
    if (!who) {
      // A token presented and refused is a guess; a request without one is not (it cannot brute-force).
      if (!req.Header("authorization").empty()) svc.limiter.Fail(req.client, now);
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
  const bool public_route = m.route->path.rfind("/api/v1/public/", 0) == 0;
  if (public_route && !svc.public_limiter.Allow(req.client, std::chrono::steady_clock::now())) {
    Response r = Render({429, "too-many-requests", "Too many requests",
                         "at most " + std::to_string(svc.public_limiter.rate()) +
                             " requests a second from one address on the public routes",
                         {}},
                        req.request_id);
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  // ?lang=zh (or Accept-Language: zh...) on a public route: the answer also carries "labels", the Chinese
  // label of every field name. The parameter is taken off before the handler sees the request.
  bool zh = false;
  Request public_req;
  const Request* handled = &req;
  if (public_route) {
    const std::string lang = req.Query("lang");
    if (req.HasQuery("lang") && lang != "zh" && lang != "en")
      return Render(BadRequest("lang is zh or en", {{"lang", "'" + lang.substr(0, 20) + "' is not zh or en"}}), req.request_id);
    zh = lang == "zh" || (!req.HasQuery("lang") && req.Header("accept-language").rfind("zh", 0) == 0);
    if (req.HasQuery("lang")) {
      public_req = req;
      std::erase_if(public_req.query, [](const auto& q) { return q.first == "lang"; });
      handled = &public_req;
    }
  }
  Call call{*handled, m.params, who ? &*who : nullptr, scope, svc};
  const bool cacheable = m.route->cacheable && (req.method == "GET" || req.method == "HEAD");
  auto compute = [&]() -> Response {
    Response r = WithIdempotency(call, m.route->handler);
    if (zh && r.status == 200 && r.content_type == "application/json" && !r.body.empty() && r.body.back() == '}')
      r.body.insert(r.body.size() - 1, std::string(r.body.size() > 2 ? "," : "") + "\"labels\":" + app::FieldLabelsZhJson());
    if (public_route && r.status == 200 && req.method != "POST") {
      // Public answers may be kept by browsers and proxies for a little while, and revalidated.
      r.headers.emplace_back("ETag", "\"" + Sha256Hex(r.Body()).substr(0, 32) + "\"");
      r.headers.emplace_back("Cache-Control", "public, max-age=30");
    }
    return r;
  };
  std::optional<Response> answer;
  try {
    if (cacheable) {
      answer = svc.cache.Fetch(ResponseCache::Key(scope.all() ? "" : scope.unit(), req) + (zh ? "\x1f@zh" : ""),
                               std::chrono::steady_clock::now(), compute);
    } else {
      answer = compute();
      if (req.method == "POST" && answer->status < 300) svc.cache.Clear();  // read-your-writes on this server
    }
  } catch (const std::exception&) {
    answer = Render(Internal(), req.request_id);
  }
  // A store failure while the database is gone is an outage, not a bug: 503, retry later.
  if (answer->status == 500 && svc.pool && !svc.pool->Reachable())
    return Render(Unavailable("the database does not answer"), req.request_id);
  if (public_route && answer->status == 200) {
    const std::string given = req.Header("if-none-match");
    for (const auto& [k, v] : answer->headers)
      if (k == "ETag" && !given.empty() && (given == v || given == "*" || given.find(v) != std::string::npos)) {
        Response not_modified;
        not_modified.status = 304;
        not_modified.headers = answer->headers;
        return not_modified;
      }
  }
  return std::move(answer).value();
}

}  // namespace suiji::rest
