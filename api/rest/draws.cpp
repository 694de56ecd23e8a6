// Draws, scoped to the caller's org unit by the plan's org_unit:
//   GET /api/v1/draws?plan_id=&state=       every draw the caller may see, newest last
//   GET /api/v1/draws/{id}                  one draw: its commitment, and once revealed its strata
//                                           (drawn in ticket order, reserve, substitutions) and pairings
//   GET /api/v1/draws/{id}/bundle           the self-contained bundle as a tar archive (`tar xf`, then
//                                           `suiji verify DIR`)
//   POST /api/v1/draws                      commit: {"plan": YAML | "plan_id": a stored plan, "as_of"?,
//                                           "reserve"?, "redraw_reason"?} -> 201
//   POST /api/v1/draws/{id}/reveal          {"entropy"} -> 200 the draw; a second reveal is 409
//   POST /api/v1/draws/{id}/substitutions   {"entity_id", "reason", "stratum"?} -> 201 the draw
//   POST /api/v1/draws/{id}/pairings        commit a pairing attempt -> 201
//   POST /api/v1/pairings/{id}/reveal       {"entropy"} -> 200 the teams (officers by pseudonym)
//   POST /api/v1/recusals                   {"entity_id", "cert_no", "reason"} -> 201
// A draw outside the caller's scope is 404; a plan for a unit outside it is 403 (the caller wrote it).
// Officers appear only by pseudonym (as in the bundle).
#include "api/app/draws.h"
#include "api/app/plans.h"
#include "core/date.h"
#include "data/store/entity_store.h"
#include "data/store/item_store.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"
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

// The draw the path names, with a connection, when the caller may see it; else the response to give.
std::optional<Response> Load(Call& c, std::optional<DbLease>& db, store::DrawRecord* rec, std::string* unit) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  auto lease = c.svc.Lease();
  if (!lease) return c.Fail(Unavailable("no database connection"));
  db.emplace(std::move(lease).value());
  return Visible(c, **db, c.params.at("id"), rec, unit);
}

JsonDoc StrataJson(const sampler::EntityDraw& d) {
  JsonDoc strata = JsonDoc::array();
  for (const auto& s : d.strata) {
    JsonDoc drawn = JsonDoc::array(), reserve = JsonDoc::array(), subs = JsonDoc::array();
    for (const auto& t : s.drawn) drawn.push_back({{"entity_id", t.id}, {"ticket", t.ticket}});
    for (const auto& t : s.reserve) reserve.push_back({{"entity_id", t.id}, {"ticket", t.ticket}});
    for (const auto& x : s.substitutions) subs.push_back({{"out", x.out_id}, {"in", x.in_id}, {"reason", x.reason}});
    strata.push_back({{"name", s.name}, {"quota", s.quota}, {"drawn", drawn}, {"reserve", reserve},
                      {"substitutions", subs}});
  }
  return strata;
}

// The draw as GET /api/v1/draws/{id} shows it (re-read, so a write answers with what is stored).
Response DrawAnswer(Call& c, store::Database& db, const std::string& draw_id, int status) {
  auto rec = store::DrawStore(db).GetDraw(draw_id);
  if (!rec) return c.Fail(rec.error());
  if (!rec.value()) return c.Fail(NotFound("no draw " + draw_id));
  auto unit = app::DrawOrgUnit(*rec.value());
  if (!unit) return c.Fail(unit.error());
  JsonDoc body = Summary(*rec.value(), unit.value());
  if (!rec.value()->entropy.empty()) {
    auto loaded = app::LoadRevealedDraw(db, draw_id, c.svc.threads);
    if (!loaded) return c.Fail(loaded.error());
    body["strata"] = StrataJson(loaded->draw);
    auto pairings = store::DrawStore(db).Pairings(draw_id);
    if (!pairings) return c.Fail(pairings.error());
    JsonDoc ps = JsonDoc::array();
    for (const auto& p : pairings.value())
      ps.push_back({{"pairing_id", p.pairing_id}, {"state", p.state}, {"status", p.status},
                    {"commitment_digest", p.commitment_digest}, {"committed_at", p.committed_at},
                    {"revealed_at", p.revealed_at}});
    body["pairings"] = ps;
  }
  Response r = c.Ok(body, status);
  if (status == 201) r.headers.emplace_back("Location", "/api/v1/draws/" + draw_id);
  return r;
}

Response Commit(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto body = JsonBody(c.req, {{"plan", BodyField::kString, false}, {"plan_id", BodyField::kString, false},
                               {"as_of", BodyField::kString, false}, {"reserve", BodyField::kInt, false},
                               {"redraw_reason", BodyField::kString, false}},
                       &problem);
  if (!body) return c.Fail(problem);
  if (body->contains("plan") == body->contains("plan_id"))
    return c.Fail(BadRequest("give the plan's YAML or a stored plan's id, exactly one",
                             {{"plan", "exactly one of plan and plan_id"}}));
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  app::CommitDrawOptions o;
  o.plan_path = "plan";
  if (body->contains("plan_id")) {
    auto stored = app::GetPlan(*db.value(), (*body)["plan_id"].get<std::string>());
    if (!stored) return c.Fail(stored.error());
    if (!c.scope.SeesUnit(stored->org_unit)) return c.Fail(NotFound("no stored plan " + stored->plan_id));
    o.plan_path = "plans/" + stored->plan_id + "@" + std::to_string(stored->version);
    o.plan_text = stored->plan_text;
  } else {
    o.plan_text = (*body)["plan"].get<std::string>();
  }
  rules::PlanCheck check;
  check.regions = c.svc.regions;
  auto parsed = rules::ParsePlan(o.plan_text, o.plan_path, check);
  if (!parsed.ok()) return c.Fail(PlanProblem(parsed));
  if (!c.scope.SeesUnit(parsed.plan.org_unit))
    return c.Fail(Forbidden("the plan is for org unit " + parsed.plan.org_unit + ", outside " + c.scope.unit()));
  const std::string as_of = body->value("as_of", (*db.value()).Now().substr(0, 10));
  auto d = ParseDate(as_of);
  if (!d) return c.Fail(Unprocessable("as_of is not a date", {{"as_of", d.error().message}}));
  o.as_of = d.value();
  o.reserve = body->value("reserve", -1);
  if (o.reserve < -1 || o.reserve > 100000) return c.Fail(Unprocessable("reserve is 0..100000", {{"reserve", "out of range"}}));
  o.redraw_reason = body->value("redraw_reason", "");
  o.actor = Actor(c);
  auto committed = app::CommitDraw(*db.value(), *c.svc.regions, o);
  if (!committed) return c.Fail(committed.error());
  return DrawAnswer(c, *db.value(), committed->record.draw_id, 201);
}

Response Reveal(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto body = JsonBody(c.req, {{"entropy", BodyField::kString, true}}, &problem);
  if (!body) return c.Fail(problem);
  std::optional<DbLease> db;
  store::DrawRecord rec;
  std::string unit;
  if (auto r = Load(c, db, &rec, &unit)) return *r;
  auto revealed = app::RevealDraw(**db, *c.svc.regions, rec.draw_id, (*body)["entropy"].get<std::string>(), Actor(c),
                                  c.svc.threads);
  if (!revealed) return c.Fail(revealed.error());
  return DrawAnswer(c, **db, rec.draw_id, 200);
}

Response Substitute(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto body = JsonBody(c.req, {{"entity_id", BodyField::kString, true}, {"reason", BodyField::kString, true},
                               {"stratum", BodyField::kString, false}},
                       &problem);
  if (!body) return c.Fail(problem);
  std::optional<DbLease> db;
  store::DrawRecord rec;
  std::string unit;
  if (auto r = Load(c, db, &rec, &unit)) return *r;
  auto sub = app::Substitute(**db, rec.draw_id, body->value("stratum", ""), (*body)["entity_id"].get<std::string>(),
                             (*body)["reason"].get<std::string>(), Actor(c));
  if (!sub) return c.Fail(sub.error());
  return DrawAnswer(c, **db, rec.draw_id, 201);
}

JsonDoc PairingJson(const store::PairingRecord& p) {
  return {{"pairing_id", p.pairing_id},   {"draw_id", p.draw_id},         {"attempt", p.attempt},
          {"state", p.state},             {"status", p.status},           {"commitment_digest", p.commitment_digest},
          {"committed_at", p.committed_at}, {"revealed_at", p.revealed_at}, {"entropy", p.entropy},
          {"seed_hash", p.seed_hash}};
}

Response CommitPair(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  if (!c.req.body.empty() && !JsonBody(c.req, {}, &problem)) return c.Fail(problem);
  std::optional<DbLease> db;
  store::DrawRecord rec;
  std::string unit;
  if (auto r = Load(c, db, &rec, &unit)) return *r;
  auto committed = app::CommitPairing(**db, rec.draw_id, Actor(c));
  if (!committed) return c.Fail(committed.error());
  Response r = c.Ok(PairingJson(committed->record), 201);
  r.headers.emplace_back("Location", "/api/v1/pairings/" + committed->record.pairing_id);
  return r;
}

Response RevealPair(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto body = JsonBody(c.req, {{"entropy", BodyField::kString, true}}, &problem);
  if (!body) return c.Fail(problem);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  const std::string id = c.params.at("id");
  auto pr = store::DrawStore(*db.value()).GetPairing(id);
  if (!pr) return c.Fail(pr.error());
  store::DrawRecord draw;
  std::string unit;
  if (!pr.value()) return c.Fail(NotFound("no pairing " + id));
  if (auto r = Visible(c, *db.value(), pr.value()->draw_id, &draw, &unit)) return c.Fail(NotFound("no pairing " + id));
  auto revealed = app::RevealPairing(*db.value(), id, (*body)["entropy"].get<std::string>(), Actor(c));
  if (!revealed) return c.Fail(revealed.error());
  JsonDoc out = PairingJson(revealed->record);
  JsonDoc teams = JsonDoc::array(), shortfalls = JsonDoc::array();
  for (const auto& t : revealed->pairing.teams) {
    JsonDoc members = JsonDoc::array();
    for (const auto& m : t.members) members.push_back({{"officer", m.officer}, {"department", m.department}});
    teams.push_back({{"entity_id", t.entity_id}, {"members", members}});
  }
  for (const auto& s : revealed->pairing.shortfalls)
    shortfalls.push_back({{"entity_id", s.entity_id}, {"department", s.department}, {"reason", s.reason}});
  out["status"] = revealed->pairing.status;
  out["teams"] = teams;
  out["shortfalls"] = shortfalls;
  return c.Ok(out);
}

Response Recusal(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto body = JsonBody(c.req, {{"entity_id", BodyField::kString, true}, {"cert_no", BodyField::kString, true},
                               {"reason", BodyField::kString, true}},
                       &problem);
  if (!body) return c.Fail(problem);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  Response fail;
  auto e = VisibleEntity(c, *db.value(), (*body)["entity_id"].get<std::string>(), &fail);
  if (!e) return fail;
  if (auto st = app::RequestRecusal(*db.value(), e->id.value, (*body)["cert_no"].get<std::string>(),
                                    (*body)["reason"].get<std::string>(), Actor(c));
      !st)
    return c.Fail(st.error());
  return c.Ok({{"entity_id", e->id.value}, {"cert_no", (*body)["cert_no"]}, {"reason", (*body)["reason"]}}, 201);
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

Response Show(Call& c) {
  std::optional<DbLease> db;
  store::DrawRecord rec;
  std::string unit;
  if (auto r = Load(c, db, &rec, &unit)) return *r;
  return DrawAnswer(c, **db, rec.draw_id, 200);
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
  r.Add({"GET", "/api/v1/draws", "draws.read", List, "every draw the caller may see", true});
  r.Add({"GET", "/api/v1/draws/{id}", "draws.read", Show, "one draw, recomputed from its stored inputs", true});
  r.Add({"GET", "/api/v1/draws/{id}/bundle", "draws.read", Bundle, "the draw's bundle as a tar archive", true});
  r.Add({"POST", "/api/v1/draws", "draws.commit", Commit, "commit a draw of a plan: the population frozen, C published"});
  r.Add({"POST", "/api/v1/draws/{id}/reveal", "draws.reveal", Reveal, "reveal a committed draw with public entropy"});
  r.Add({"POST", "/api/v1/draws/{id}/substitutions", "draws.substitute", Substitute,
         "replace a drawn entity outside the plan's legal scope by the next reserve"});
  r.Add({"POST", "/api/v1/draws/{id}/pairings", "pairings.commit", CommitPair, "commit an officer pairing attempt"});
  r.Add({"POST", "/api/v1/pairings/{id}/reveal", "pairings.reveal", RevealPair, "reveal a pairing: the teams"});
  r.Add({"POST", "/api/v1/recusals", "recusals.write", Recusal, "record a recusal an entity requested"});
}

}  // namespace suiji::rest
