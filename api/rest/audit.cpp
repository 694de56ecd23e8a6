// The hash-chained audit log, for auditors:
//   GET  /api/v1/audit/events?after=SEQ&limit=N   events in seq order (keyset by seq); only for principals
//                                                 without an org unit: the chain is one sequence over every
//                                                 unit, so a county's token would read its siblings' events
//                                                 (security.md, R6). A unit's draw events are in its bundles.
//   POST /api/v1/audit/verify                     walk the whole chain: ok, or the first broken link
#include "api/rest/handlers.h"
#include "data/store/audit_log.h"

namespace suiji::rest {
namespace {

Response Events(Call& c) {
  if (!c.scope.all())
    return c.Fail(Forbidden("the audit log is one chain over every org unit, readable only without an org unit (an "
                            "unscoped auditor); a draw's own events come with its bundle: GET /api/v1/draws/{id}/bundle"));
  if (auto p = OnlyQuery(c.req, {"after", "limit"})) return c.Fail(*p);
  Problem problem;
  auto page = ParsePage(c.req, &problem);
  if (!page) return c.Fail(problem);
  std::int64_t after = 0;
  if (!page->after.empty()) {
    bool digits = page->after.size() <= 18;
    for (char ch : page->after) digits = digits && ch >= '0' && ch <= '9';
    if (!digits) return c.Fail(BadRequest("after is an event seq (a whole number)", {{"after", "not a number"}}));
    after = std::stoll(page->after);
  }
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto events = store::ListAudit(*db.value(), after, page->limit + 1);
  if (!events) return c.Fail(events.error());
  std::vector<store::AuditEvent> list = std::move(events).value();
  const bool more = static_cast<std::int64_t>(list.size()) > page->limit;
  if (more) list.resize(static_cast<std::size_t>(page->limit));
  JsonDoc items = JsonDoc::array();
  for (const auto& e : list) {
    JsonDoc payload = JsonDoc::parse(e.payload, nullptr, false);
    items.push_back({{"seq", e.seq},        {"at", e.at},          {"actor", e.actor},
                     {"action", e.action},  {"subject", e.subject}, {"payload", payload.is_discarded() ? JsonDoc(e.payload) : payload},
                     {"prev_hash", e.prev_hash}, {"hash", e.hash}});
  }
  return c.Ok({{"items", items}, {"next_after", more ? JsonDoc(std::to_string(list.back().seq)) : JsonDoc(nullptr)}});
}

Response Verify(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto r = store::VerifyAuditChain(*db.value());
  if (!r) return c.Fail(r.error());
  JsonDoc out{{"ok", r->ok}, {"events", r->events}, {"head", r->head}};
  if (!r->ok)
    out["broken"] = {{"seq", r->seq}, {"problem", r->problem}, {"expected", r->expected}, {"found", r->found},
                     {"message", r->message}};
  return c.Ok(out);
}

}  // namespace

void AddAuditRoutes(Router& r) {
  r.Add({"GET", "/api/v1/audit/events", "audit.read", Events, "the audit log's events, in seq order"});
  r.Add({"POST", "/api/v1/audit/verify", "audit.verify", Verify, "walk the hash chain: ok or the first broken link"});
}

}  // namespace suiji::rest
