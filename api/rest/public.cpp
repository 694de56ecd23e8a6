// The public disclosure API (一公开): anonymous and read-only but for an entity's objection. It shows
// only what is published: never credit scores or classes (no strata either: a stratum of a plan
// stratified by class names its entities' class), officers only by pseudonym, no recusals, drafts,
// evidence, notes or objection contacts, and a sole trader (个体工商户) named after its operator only as
// 张* with no address or representative.
//   GET  /api/v1/public/results?name=&code=&region=&department=&item=&result=&from=&to=&limit=&after=
//                                               published results, a keyset page with the total count
//   GET  /api/v1/public/results/{id}            one record with its history and objections
//   GET  /api/v1/public/entities/{id}           an entity (either id): its inspections, public lists
//                                               (abnormal, serious violation) and measures in force
//   GET  /api/v1/public/plans                   sampling plans: items, population, ratios, rules, their draws
//   GET  /api/v1/public/plans/{id}?include=draw one plan (+ its latest revealed draw, as below)
//   GET  /api/v1/public/draws                   revealed draws: commitment, entropy, seed hash
//   GET  /api/v1/public/draws/{id}              + the entities drawn and the substitutions with reasons, and
//                                               the draw head over its audit events (verify --head)
//   GET  /api/v1/public/draws/{id}/bundle       its bundle (draw stage) to verify — not for class-stratified plans
//   GET  /api/v1/public/changes?since=SEQ       the change feed: publications, corrections, objections
//   GET  /api/v1/public/stats                   counts by department, region, item, result and month
//   GET  /api/v1/public/bulk[/{file}]           the daily files (suiji public bulk): manifests, CSV, JSON Lines
//   POST /api/v1/public/objections {"result_id", "code", "reason", "contact"?}   an entity objects -> 201 receipt
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "api/app/bulk.h"
#include "api/app/disclosure.h"
#include "api/app/draws.h"
#include "api/app/results.h"
#include "api/rest/handlers.h"
#include "core/identifiers.h"
#include "core/result_codes.h"
#include "data/store/credit_store.h"
#include "data/store/draw_store.h"
#include "data/store/entity_store.h"
#include "api/rest/tar.h"
#include "rules/plan_parse.h"
#include "sampler/bundle.h"
#include "sampler/draw.h"

namespace suiji::rest {
namespace {

// Public reads go to the public database (a standby under --public-db); the objection, a write, to the
// primary.
std::optional<Response> NeedDb(Call& c, std::optional<DbLease>& db) {
  auto lease = c.svc.PublicLease();
  if (!lease) return c.Fail(Unavailable("no database connection"));
  db.emplace(std::move(lease).value());
  return std::nullopt;
}

std::optional<app::Disclosure> MakeContext(Call& c, store::Database& db, Response* fail) {
  auto d = app::Disclosure::Open(db, *c.svc.regions);
  if (!d) {
    *fail = c.Fail(d.error());
    return std::nullopt;
  }
  return std::move(d).value();
}

Response Search(Call& c) {
  if (auto p = OnlyQuery(c.req, {"name", "code", "region", "department", "item", "result", "from", "to", "limit", "after"}))
    return c.Fail(*p);
  Problem problem;
  auto page = ParsePage(c.req, &problem);
  if (!page) return c.Fail(problem);
  store::PublicResultFilter f;
  f.name = c.req.Query("name");
  f.region = c.req.Query("region");
  f.department = c.req.Query("department");
  f.item = c.req.Query("item");
  f.result_code = c.req.Query("result");
  std::vector<FieldError> bad;
  if (f.name.size() > 200) bad.push_back({"name", "at most 200 bytes"});
  if (!f.region.empty())
    if (auto st = c.svc.regions->Validate(f.region); !st) bad.push_back({"region", st.error().message});
  if (f.department.size() > 32) bad.push_back({"department", "at most 32 bytes"});
  if (f.item.size() > 64) bad.push_back({"item", "at most 64 bytes"});
  if (!f.result_code.empty()) {
    if (const ResultCode* rc = ResultCodes::Default().Find(f.result_code)) f.result_code = rc->code;
    else bad.push_back({"result", "not in the result vocabulary"});
  }
  for (const char* k : {"from", "to"})
    if (c.req.HasQuery(k)) {
      auto d = ParseDate(c.req.Query(k));
      if (!d) bad.push_back({k, d.error().message});
      else (std::string(k) == "from" ? f.from : f.to) = FormatDate(d.value());
    }
  if (!bad.empty()) return c.Fail(Unprocessable("the search is not valid", bad));
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  if (const std::string code = c.req.Query("code"); !code.empty()) {
    if (code.size() > 64) return c.Fail(Unprocessable("the search is not valid", {{"code", "at most 64 bytes"}}));
    auto id = store::EntityStore(**db).Resolve(NormalizeId(code));
    if (!id) return c.Fail(id.error());
    if (!id.value()) return c.Ok({{"items", JsonDoc::array()}, {"total", 0}, {"next_after", nullptr}});
    f.entity_id = *id.value();
  }
  store::ResultStore rs(**db);
  auto rows = rs.PublicPage(f, page->after, page->limit + 1);
  if (!rows) return c.Fail(rows.error());
  auto total = rs.PublicCount(f);
  if (!total) return c.Fail(total.error());
  Response fail;
  auto x = MakeContext(c, **db, &fail);
  if (!x) return fail;
  auto list = std::move(rows).value();
  const bool more = static_cast<std::int64_t>(list.size()) > page->limit;
  if (more) list.resize(static_cast<std::size_t>(page->limit));
  JsonDoc items = JsonDoc::array();
  for (const auto& r : list) items.push_back(x->Version(r));
  return c.Ok({{"items", items}, {"total", total.value()},
               {"next_after", more ? JsonDoc(list.back().result_id) : JsonDoc(nullptr)}});
}

Response Record(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  auto rec = app::GetPublicRecord(**db, c.params.at("id"));
  if (!rec) return c.Fail(rec.error());
  if (!rec.value()) return c.Fail(NotFound("no published result " + c.params.at("id")));
  Response fail;
  auto x = MakeContext(c, **db, &fail);
  if (!x) return fail;
  return c.Ok(x->Record(*rec.value()));
}

Response EntityPage(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  const std::string& raw = c.params.at("id");
  if (raw.size() > 64) return c.Fail(NotFound("no entity"));
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  store::EntityStore es(**db);
  auto id = es.Resolve(NormalizeId(raw));
  if (!id) return c.Fail(id.error());
  if (!id.value()) return c.Fail(NotFound("no entity " + raw));
  auto e = es.Get(*id.value());
  if (!e) return c.Fail(e.error());
  if (!e.value()) return c.Fail(NotFound("no entity " + raw));
  Response fail;
  auto x = MakeContext(c, **db, &fail);
  if (!x) return fail;
  auto published = store::ResultStore(**db).PublishedForEntity(e.value()->id.value);
  if (!published) return c.Fail(published.error());
  JsonDoc inspections = JsonDoc::array();
  std::string last;
  for (const auto& r : published.value()) {
    if (r.result_id == last) continue;
    last = r.result_id;
    auto rec = app::GetPublicRecord(**db, r.result_id);
    if (!rec) return c.Fail(rec.error());
    if (rec.value()) inspections.push_back(x->Record(*rec.value()));
  }
  auto lists = store::ListMembershipStore(**db).ForEntity(e.value()->id.value);
  if (!lists) return c.Fail(lists.error());
  JsonDoc memberships = JsonDoc::array();
  for (const auto& m : lists.value())
    memberships.push_back({{"list", m.list},
                           {"list_label", m.list == "serious" ? "严重违法失信名单" : "经营异常名录"},
                           {"reason", m.reason},
                           {"listed_on", m.listed_on},
                           {"authority", m.authority},
                           {"removed_on", m.removed_on},
                           {"removal_reason", m.removal_reason},
                           {"removal_authority", m.removal_authority}});
  auto flags = store::FlagStore(**db).ForEntity(e.value()->id.value);
  if (!flags) return c.Fail(flags.error());
  const std::string today = (**db).Now().substr(0, 10);
  JsonDoc measures = JsonDoc::array();
  for (const auto& f : flags.value())
    if (f.start_on <= today && (f.end_on.empty() || f.end_on > today))
      measures.push_back({{"measure", f.measure},
                          {"department", f.department},
                          {"memorandum_title", f.memorandum_title},
                          {"document", f.document},
                          {"legal_basis", f.legal_basis},
                          {"start_on", f.start_on},
                          {"end_on", f.end_on}});
  return c.Ok({{"entity", app::PublicEntity(*e.value(), *c.svc.regions)},
               {"inspections", inspections},
               {"lists", memberships},
               {"measures_in_force", measures}});
}

Response Plans(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  auto plans = app::PublicPlans(**db, *c.svc.regions);
  if (!plans) return c.Fail(plans.error());
  return c.Ok({{"items", std::move(plans).value()}});
}

JsonDoc PublicDraw(const store::DrawRecord& d, const std::string& unit) {
  return {{"draw_id", d.draw_id},           {"plan_id", d.plan_id},         {"org_unit", unit},
          {"state", d.state},               {"commitment_digest", d.commitment_digest},
          {"committed_at", d.committed_at}, {"revealed_at", d.revealed_at}, {"entropy", d.entropy},
          {"seed_hash", d.seed_hash},       {"supersedes", d.supersedes},   {"reason", d.reason}};
}

Response Draws(Call& c) {
  if (auto p = OnlyQuery(c.req, {"plan_id"})) return c.Fail(*p);
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  auto all = store::DrawStore(**db).ListDraws();
  if (!all) return c.Fail(all.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& d : all.value()) {
    if (c.req.HasQuery("plan_id") && d.plan_id != c.req.Query("plan_id")) continue;
    auto unit = app::DrawOrgUnit(d);
    items.push_back(PublicDraw(d, unit ? unit.value() : ""));
  }
  return c.Ok({{"items", items}});
}

// The draw the path names, with a connection; else the response to give.
std::optional<Response> LoadDraw(Call& c, std::optional<DbLease>& db, std::optional<store::DrawRecord>& out) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  if (auto r = NeedDb(c, db)) return r;
  auto rec = store::DrawStore(**db).GetDraw(c.params.at("id"));
  if (!rec) return c.Fail(rec.error());
  if (!rec.value()) return c.Fail(NotFound("no draw " + c.params.at("id")));
  out = *rec.value();
  return std::nullopt;
}

// A draw as the public sees it: commitment and reveal and, once revealed, the entities drawn and every
// substitution with its reason; nullopt with `*fail` set when it cannot be recomputed.
std::optional<JsonDoc> DrawAnswer(Call& c, store::Database& db, const store::DrawRecord& rec, Response* fail) {
  auto unit = app::DrawOrgUnit(rec);
  JsonDoc out = PublicDraw(rec, unit ? unit.value() : "");
  // The draw head over its audit events, for `suiji verify --head` (docs/draw-protocol.md section 6).
  auto head = app::DrawAuditHead(db, rec.draw_id);
  if (!head) {
    *fail = c.Fail(head.error());
    return std::nullopt;
  }
  out["draw_head"] = JsonDoc(sampler::DrawHeadJson(head.value()));
  if (rec.state == "committed") return out;
  auto loaded = app::LoadRevealedDraw(db, rec.draw_id, c.svc.threads);
  if (!loaded) {
    *fail = c.Fail(loaded.error());
    return std::nullopt;
  }
  auto x = MakeContext(c, db, fail);
  if (!x) return std::nullopt;
  JsonDoc drawn = JsonDoc::array(), subs = JsonDoc::array();
  std::vector<std::string> ids;
  for (const auto& s : loaded->draw.strata) {
    for (const auto& id : sampler::Selected(s)) ids.push_back(id);
    for (const auto& t : s.substitutions) subs.push_back({{"out", t.out_id}, {"in", t.in_id}, {"reason", t.reason}});
  }
  std::sort(ids.begin(), ids.end());  // by id: the order within strata would name them
  for (const auto& id : ids) {
    const auto& e = x->EntityOf(id);
    drawn.push_back({{"entity_id", id}, {"name", e ? app::PublicName(*e) : ""}});
  }
  out["drawn"] = drawn;
  out["substitutions"] = subs;
  return out;
}

Response Draw(Call& c) {
  std::optional<DbLease> db;
  std::optional<store::DrawRecord> rec;
  if (auto r = LoadDraw(c, db, rec)) return *r;
  Response fail;
  auto out = DrawAnswer(c, **db, *rec, &fail);
  return out ? c.Ok(*out) : fail;
}

// ?include=draw embeds the plan's latest revealed draw as `latest_draw` (as GET /api/v1/public/draws/{id}
// answers it; null when none), so the plan's page needs one request.
Response PlanPage(Call& c) {
  if (auto p = OnlyQuery(c.req, {"include"})) return c.Fail(*p);
  const bool with_draw = c.req.HasQuery("include");
  if (with_draw && c.req.Query("include") != "draw")
    return c.Fail(BadRequest("include is draw", {{"include", "'" + c.req.Query("include").substr(0, 20) + "' is not draw"}}));
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  auto plans = app::PublicPlans(**db, *c.svc.regions, c.params.at("id"));
  if (!plans) return c.Fail(plans.error());
  if (plans->empty()) return c.Fail(NotFound("no plan " + c.params.at("id")));
  JsonDoc plan = std::move((*plans)[0]);
  if (!with_draw) return c.Ok(plan);
  std::string latest;
  for (const auto& d : plan["draws"])
    if (d["state"] == "revealed") latest = d["draw_id"].get<std::string>();
  plan["latest_draw"] = nullptr;
  if (latest.empty()) return c.Ok(plan);
  auto rec = store::DrawStore(**db).GetDraw(latest);
  if (!rec) return c.Fail(rec.error());
  if (!rec.value()) return c.Ok(plan);
  Response fail;
  auto draw = DrawAnswer(c, **db, *rec.value(), &fail);
  if (!draw) return fail;
  plan["latest_draw"] = std::move(*draw);
  return c.Ok(plan);
}

Response Changes(Call& c) {
  if (auto p = OnlyQuery(c.req, {"since", "limit"})) return c.Fail(*p);
  std::int64_t since = 0;
  if (c.req.HasQuery("since")) {
    const std::string s = c.req.Query("since");
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
      return c.Fail(BadRequest("since is a publication sequence number", {{"since", "not a number"}}));
    since = std::stoll(s);
  }
  Problem problem;
  auto page = ParsePage(c.req, &problem);
  if (!page) return c.Fail(problem);
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  auto changes = store::ResultStore(**db).Changes(since, page->limit);
  if (!changes) return c.Fail(changes.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& ch : changes.value())
    items.push_back({{"seq", ch.seq}, {"kind", ch.kind}, {"record_id", ch.result_id}, {"version", ch.version},
                     {"entity_id", ch.entity_id}, {"at", ch.at}});
  const std::int64_t next = changes->empty() ? since : changes->back().seq;
  return c.Ok({{"items", items}, {"next_since", next}});
}

Response Stats(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  std::optional<DbLease> db;
  if (auto r = NeedDb(c, db)) return *r;
  auto st = store::ResultStore(**db).PublicStats();
  if (!st) return c.Fail(st.error());
  auto obj = [](const std::map<std::string, std::int64_t>& m) {
    JsonDoc j = JsonDoc::object();
    for (const auto& [k, v] : m) j[k] = v;
    return j;
  };
  std::int64_t problems = 0;
  JsonDoc results = JsonDoc::array();
  for (const auto& [k, v] : st->by_result) {
    const ResultCode* code = ResultCodes::Default().Find(k);
    if (code && code->problem) problems += v;
    JsonDoc l = app::ResultLabel(k);
    l["count"] = v;
    results.push_back(l);
  }
  return c.Ok({{"published", st->published},
               {"with_problems", problems},
               {"published_on_time", st->on_time},
               {"by_department", obj(st->by_department)},
               {"by_region", obj(st->by_region)},
               {"by_item", obj(st->by_item)},
               {"by_result", results},
               {"by_month", obj(st->by_month)}});
}

Response Object(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto b = JsonBody(c.req, {{"result_id", BodyField::kString, true}, {"code", BodyField::kString, true},
                            {"reason", BodyField::kString, true}, {"contact", BodyField::kString, false}},
                    &problem);
  if (!b) return c.Fail(problem);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto o = app::FileObjection(*db.value(), *c.svc.calendar, (*b)["result_id"], (*b)["code"], (*b)["reason"], b->value("contact", ""));
  if (!o) return c.Fail(o.error());
  return c.Ok({{"receipt_no", o->receipt_no}, {"record_id", o->result_id}, {"version", o->version}, {"state", o->state},
               {"filed_at", o->filed_at}},
              201);
}

// The draw's bundle for anyone to verify (suiji verify, docs/verify_draw.py), draw stage only: the
// pairing's inputs name the officers entities asked to be recused, which is never public. A plan
// stratified by credit class is refused: its strata would tell each entity's class.
Response PublicBundle(Call& c) {
  std::optional<DbLease> db;
  std::optional<store::DrawRecord> rec;
  if (auto r = LoadDraw(c, db, rec)) return *r;
  if (rec->entropy.empty()) return c.Fail(Conflict("draw " + rec->draw_id + " is not revealed yet"));
  auto plan = rules::ParsePlan(rec->plan_text, "plan of " + rec->draw_id, {});
  if (!plan.ok()) return c.Fail(Internal());
  for (const auto& s : plan.plan.strata)
    if (s.name != "all")
      return c.Fail(Forbidden("the plan of draw " + rec->draw_id + " is stratified by credit class: its bundle "
                              "would disclose every entity's class, which is never public. The regulator's route "
                              "(GET /api/v1/draws/{id}/bundle) serves it to auditors; the public draw page lists the "
                              "entities drawn, the commitment, the entropy and the seed hash"));
  auto built = app::BuildBundle(**db, rec->draw_id, c.svc.threads);
  if (!built) return c.Fail(built.error());
  sampler::Bundle bundle = std::move(built).value();
  bundle.pair_commitment.reset();
  bundle.pairing.reset();
  auto files = sampler::BundleFiles(bundle);
  if (!files) return c.Fail(files.error());
  Response r = Text(200, "application/x-tar", TarArchive(rec->draw_id, files.value()));
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + rec->draw_id + ".tar\""});
  return r;
}

// The day files of `suiji public bulk`: every manifest, newest first.
Response BulkIndex(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  namespace fs = std::filesystem;
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(c.svc.bulk_dir, ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("manifest-", 0) == 0 && app::IsBulkFileName(n)) names.push_back(n);
  }
  std::sort(names.rbegin(), names.rend());
  JsonDoc items = JsonDoc::array();
  for (const auto& n : names) {
    std::ifstream in(fs::path(c.svc.bulk_dir) / n);
    JsonDoc m = JsonDoc::parse(in, nullptr, false);
    if (m.is_discarded()) continue;
    m["manifest"] = n;
    items.push_back(m);
  }
  return c.Ok({{"items", items}});
}

Response BulkFile(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  const std::string& name = c.params.at("file");
  if (!app::IsBulkFileName(name)) return c.Fail(NotFound("no bulk file " + name.substr(0, 80)));
  std::ifstream in(std::filesystem::path(c.svc.bulk_dir) / name, std::ios::binary);
  if (!in) return c.Fail(NotFound("no bulk file " + name));
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r = Text(200, name.size() > 3 && name.substr(name.size() - 3) == ".gz" ? "application/gzip" : "application/json",
                    ss.str());
  r.headers.push_back({"Content-Disposition", "attachment; filename=\"" + name + "\""});
  return r;
}

}  // namespace

void AddPublicRoutes(Router& r) {
  r.Add({"GET", "/api/v1/public/results", "", Search, "search published inspection results", true});
  r.Add({"GET", "/api/v1/public/results/{id}", "", Record, "one published record with its history and objections", true});
  r.Add({"GET", "/api/v1/public/entities/{id}", "", EntityPage, "an entity's public page", true});
  r.Add({"GET", "/api/v1/public/plans", "", Plans, "the sampling plans with their rules and draws", true});
  r.Add({"GET", "/api/v1/public/plans/{id}", "", PlanPage, "one sampling plan with its rules and draws", true});
  r.Add({"GET", "/api/v1/public/draws", "", Draws, "every draw's public commitment and reveal", true});
  r.Add({"GET", "/api/v1/public/draws/{id}", "", Draw, "a draw: the entities drawn and the substitutions", true});
  r.Add({"GET", "/api/v1/public/draws/{id}/bundle", "", PublicBundle,
         "a draw's bundle (draw stage) for anyone to verify; not for plans stratified by credit class", true});
  r.Add({"GET", "/api/v1/public/changes", "", Changes, "the public record's change feed", true});
  r.Add({"GET", "/api/v1/public/stats", "", Stats, "counts of published results", true});
  r.Add({"GET", "/api/v1/public/bulk", "", BulkIndex, "the daily bulk files' manifests, newest first", true});
  r.Add({"GET", "/api/v1/public/bulk/{file}", "", BulkFile, "one daily bulk file (CSV or JSON Lines, gzip) or manifest", true});
  r.Add({"POST", "/api/v1/public/objections", "", Object, "the inspected entity objects to a published result"});
}

}  // namespace suiji::rest
