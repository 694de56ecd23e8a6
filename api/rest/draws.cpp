// Draws, scoped to the caller's org unit by the plan's org_unit:
//   GET /api/v1/draws?plan_id=&state=       every draw the caller may see, newest last
//   GET /api/v1/draws/{id}                  one draw: its commitment, and once revealed its strata
//                                           (drawn in ticket order, reserve, substitutions) and pairings
//   GET /api/v1/draws/{id}/bundle           the self-contained bundle as a tar archive (`tar xf`, then
//                                           `suiji verify DIR`)
// A draw outside the caller's scope is 404. Officers appear only by pseudonym (they do in the bundle).
#include "api/app/draws.h"
#include "api/rest/handlers.h"
#include "api/rest/tar.h"
#include "data/store/draw_store.h"
#include "sampler/bundle.h"

namespace suiji::rest {
namespace {

JsonDoc Summary(const store::DrawRecord& d, const std::string& unit) {
  return {{"draw_id", d.draw_id},           {"plan_id", d.plan_id},
          {"org_unit", unit},               {"state", d.state},
          {"commitment_digest", d.commitment_digest}, {"committed_at", d.committed_at},
          {"revealed_at", d.revealed_at},   {"entropy", d.entropy},
          {"seed_hash", d.seed_hash},       {"supersedes", d.supersedes},
          {"reason", d.reason}};
}

// The draw if it exists and the caller may see it; else the response to give.
std::optional<Response> Visible(Call& c, store::Database& db, const std::string& id, store::DrawRecord* out,
                                std::string* unit) {
  auto rec = store::DrawStore(db).GetDraw(id);
  if (!rec) return c.Fail(rec.error());
  if (!rec.value()) return c.Fail(NotFound("no draw " + id));
  auto u = app::DrawOrgUnit(*rec.value());
  if (!u) return c.Fail(u.error());
  if (!c.scope.SeesUnit(u.value())) return c.Fail(NotFound("no draw " + id));
  *out = *rec.value();
  *unit = u.value();
  return std::nullopt;
}

Response List(Call& c) {
  if (auto p = OnlyQuery(c.req, {"plan_id", "state"})) return c.Fail(*p);
  const std::string plan = c.req.Query("plan_id"), state = c.req.Query("state");
  if (!state.empty() && state != "committed" && state != "revealed" && state != "superseded")
    return c.Fail(Unprocessable("state is committed, revealed or superseded", {{"state", "'" + state + "'"}}));
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto all = store::DrawStore(*db.value()).ListDraws();
  if (!all) return c.Fail(all.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& d : all.value()) {
    if ((!plan.empty() && d.plan_id != plan) || (!state.empty() && d.state != state)) continue;
    auto unit = app::DrawOrgUnit(d);
    if (!unit) return c.Fail(unit.error());
    if (c.scope.SeesUnit(unit.value())) items.push_back(Summary(d, unit.value()));
  }
  return c.Ok({{"items", items}});
}

// The draw the path names, with a connection, when the caller may see it; else the response to give.
std::optional<Response> Load(Call& c, std::optional<DbLease>& db, store::DrawRecord* rec, std::string* unit) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  auto lease = c.svc.Lease();
  if (!lease) return c.Fail(Unavailable("no database connection"));
  db.emplace(std::move(lease).value());
  return Visible(c, **db, c.params.at("id"), rec, unit);
}

Response Show(Call& c) {
  std::optional<DbLease> db;
  store::DrawRecord rec;
  std::string unit;
  if (auto r = Load(c, db, &rec, &unit)) return *r;
  JsonDoc body = Summary(rec, unit);
  if (rec.entropy.empty()) return c.Ok(body);
  auto loaded = app::LoadRevealedDraw(**db, rec.draw_id, c.svc.threads);
  if (!loaded) return c.Fail(loaded.error());
  JsonDoc strata = JsonDoc::array();
  for (const auto& s : loaded->draw.strata) {
    JsonDoc drawn = JsonDoc::array(), reserve = JsonDoc::array(), subs = JsonDoc::array();
    for (const auto& t : s.drawn) drawn.push_back({{"entity_id", t.id}, {"ticket", t.ticket}});
    for (const auto& t : s.reserve) reserve.push_back({{"entity_id", t.id}, {"ticket", t.ticket}});
    for (const auto& x : s.substitutions)
      subs.push_back({{"out", x.out_id}, {"in", x.in_id}, {"reason", x.reason}});
    strata.push_back({{"name", s.name}, {"quota", s.quota}, {"drawn", drawn}, {"reserve", reserve},
                      {"substitutions", subs}});
  }
  body["strata"] = strata;
  auto pairings = store::DrawStore(**db).Pairings(rec.draw_id);
  if (!pairings) return c.Fail(pairings.error());
  JsonDoc ps = JsonDoc::array();
  for (const auto& p : pairings.value())
    ps.push_back({{"pairing_id", p.pairing_id}, {"state", p.state}, {"status", p.status},
                  {"commitment_digest", p.commitment_digest}, {"committed_at", p.committed_at},
                  {"revealed_at", p.revealed_at}});
  body["pairings"] = ps;
  return c.Ok(body);
}

Response Bundle(Call& c) {
  std::optional<DbLease> db;
  store::DrawRecord rec;
  std::string unit;
  if (auto r = Load(c, db, &rec, &unit)) return *r;
  if (rec.entropy.empty()) return c.Fail(Conflict("draw " + rec.draw_id + " is not revealed yet: there is no bundle"));
  auto bundle = app::BuildBundle(**db, rec.draw_id, c.svc.threads);
  if (!bundle) return c.Fail(bundle.error());
  auto files = sampler::BundleFiles(bundle.value());
  if (!files) return c.Fail(files.error());
  Response r = Text(200, "application/x-tar", TarArchive(rec.draw_id, files.value()));
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + rec.draw_id + ".tar\"");
  return r;
}

}  // namespace

void AddDrawRoutes(Router& r) {
  r.Add({"GET", "/api/v1/draws", "draws.read", List, "every draw the caller may see"});
  r.Add({"GET", "/api/v1/draws/{id}", "draws.read", Show, "one draw, recomputed from its stored inputs"});
  r.Add({"GET", "/api/v1/draws/{id}/bundle", "draws.read", Bundle, "the draw's bundle as a tar archive"});
}

}  // namespace suiji::rest
