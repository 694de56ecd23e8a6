// Credit, for regulators only (classes are internal: never on a public route):
//   GET /api/v1/credit/runs                          every scoring run (model, date, counts by class)
//   GET /api/v1/credit/entities/{id}?as_of=DATE      the entity's class and score in the run in force
//                                                    on the date (default today), with every indicator's
//                                                    contribution, recomputed and checked against the
//                                                    stored score (the model: serve --model, else the
//                                                    example model)
//   GET /api/v1/credit/entities/{id}/flags           its joint-punishment flags (失信联合惩戒): memorandum,
//                                                    measure, department, legal basis, trigger, start/end
//   GET /api/v1/credit/classes?class=&region=&as_of=|run_id=&limit=&after=
//                                                    a keyset page of the register's classes in one run
//                                                    (the run in force on as_of, default today)
//   GET /api/v1/credit/flags?on=&region=&memorandum=&department=&limit=&after=
//                                                    a keyset page of flags (in force on `on` when given)
// An entity outside the caller's region is 404; listings are bounded by the caller's region.
#include "api/app/credit.h"
#include "api/rest/handlers.h"
#include "core/date.h"
#include "data/store/credit_store.h"

namespace suiji::rest {
namespace {

Response Runs(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto runs = store::CreditRunStore(*db.value()).ListRuns();
  if (!runs) return c.Fail(runs.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& r : runs.value())
    items.push_back({{"run_id", r.run_id},
                     {"model_id", r.model_id},
                     {"model_version", r.model_version},
                     {"model_digest", r.model_digest},
                     {"as_of", r.as_of},
                     {"created_at", r.created_at},
                     {"entities", r.entities},
                     {"classes", {{"A", r.class_counts[0]}, {"B", r.class_counts[1]}, {"C", r.class_counts[2]}, {"D", r.class_counts[3]}}},
                     {"scores_digest", r.scores_digest}});
  return c.Ok({{"items", items}});
}

JsonDoc FlagJson(const store::FlagRecord& f) {
  return {{"flag_id", f.flag_id},       {"entity_id", f.entity_id},     {"memorandum", f.memorandum},
          {"memorandum_title", f.memorandum_title}, {"document", f.document}, {"measure_id", f.measure_id},
          {"measure", f.measure},       {"department", f.department},   {"legal_basis", f.legal_basis},
          {"trigger_kind", f.trigger_kind}, {"trigger_id", f.trigger_id}, {"start_on", f.start_on},
          {"end_on", f.end_on}};
}

Response Flags(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  Response fail;
  auto e = VisibleEntity(c, *db.value(), c.params.at("id"), &fail);
  if (!e) return fail;
  auto flags = store::FlagStore(*db.value()).ForEntity(e->id.value);
  if (!flags) return c.Fail(flags.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& f : flags.value()) items.push_back(FlagJson(f));
  return c.Ok({{"entity_id", e->id.value}, {"items", items}});
}

// A region filter's error, if any.
std::optional<FieldError> BadRegion(Call& c, const std::string& region) {
  if (region.empty()) return std::nullopt;
  if (auto st = c.svc.regions->Validate(region); !st) return FieldError{"region", st.error().message};
  return std::nullopt;
}

Response Classes(Call& c) {
  if (auto p = OnlyQuery(c.req, {"class", "region", "as_of", "run_id", "limit", "after"})) return c.Fail(*p);
  Problem problem;
  auto page = ParsePage(c.req, &problem);
  if (!page) return c.Fail(problem);
  const std::string cls = c.req.Query("class"), wanted = c.req.Query("region");
  std::vector<FieldError> bad;
  if (!cls.empty() && cls != "A" && cls != "B" && cls != "C" && cls != "D") bad.push_back({"class", "one of A, B, C, D"});
  if (auto e = BadRegion(c, wanted)) bad.push_back(*e);
  if (c.req.HasQuery("as_of") && c.req.HasQuery("run_id")) bad.push_back({"run_id", "give as_of or run_id, not both"});
  if (!bad.empty()) return c.Fail(Unprocessable("the filter is not valid", bad));
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  store::CreditRunStore runs(*db.value());
  std::optional<store::CreditRunRecord> run;
  if (c.req.HasQuery("run_id")) {
    auto got = runs.GetRun(c.req.Query("run_id"));
    if (!got) return c.Fail(got.error());
    if (!got.value()) return c.Fail(NotFound("no scoring run " + c.req.Query("run_id")));
    run = got.value();
  } else {
    const std::string as_of = c.req.HasQuery("as_of") ? c.req.Query("as_of") : (*db.value()).Now().substr(0, 10);
    auto d = ParseDate(as_of);
    if (!d) return c.Fail(Unprocessable("as_of is not a date", {{"as_of", d.error().message}}));
    auto got = runs.RunAsOf(FormatDate(d.value()));
    if (!got) return c.Fail(got.error());
    if (!got.value()) return c.Fail(NotFound("no scoring run as of " + as_of + " (run `suiji credit score`)"));
    run = got.value();
  }
  JsonDoc items = JsonDoc::array();
  auto region = ScopedRegion(c, wanted);
  bool more = false;
  if (region) {
    auto rows = runs.ClassPage(run->run_id, cls, *region, page->after, page->limit + 1);
    if (!rows) return c.Fail(rows.error());
    auto list = std::move(rows).value();
    more = static_cast<std::int64_t>(list.size()) > page->limit;
    if (more) list.resize(static_cast<std::size_t>(page->limit));
    for (const auto& r : list)
      items.push_back({{"entity_id", r.entity_id}, {"name", r.name}, {"region", r.region}, {"score", r.score}, {"class", r.cls}});
  }
  return c.Ok({{"run_id", run->run_id},
               {"as_of", run->as_of},
               {"model", {{"id", run->model_id}, {"version", run->model_version}}},
               {"items", items},
               {"next_after", more ? JsonDoc(items.back()["entity_id"]) : JsonDoc(nullptr)}});
}

Response FlagList(Call& c) {
  if (auto p = OnlyQuery(c.req, {"on", "region", "memorandum", "department", "limit", "after"})) return c.Fail(*p);
  Problem problem;
  auto page = ParsePage(c.req, &problem);
  if (!page) return c.Fail(problem);
  store::FlagStore::Filter f{c.req.Query("on"), c.req.Query("region"), c.req.Query("memorandum"), c.req.Query("department")};
  std::vector<FieldError> bad;
  if (!f.on.empty()) {
    if (auto d = ParseDate(f.on); !d) bad.push_back({"on", d.error().message});
    else f.on = FormatDate(d.value());
  }
  if (auto e = BadRegion(c, f.region)) bad.push_back(*e);
  if (f.memorandum.size() > 100) bad.push_back({"memorandum", "at most 100 bytes"});
  if (f.department.size() > 100) bad.push_back({"department", "at most 100 bytes"});
  if (!bad.empty()) return c.Fail(Unprocessable("the filter is not valid", bad));
  JsonDoc items = JsonDoc::array();
  bool more = false;
  if (auto region = ScopedRegion(c, f.region)) {
    f.region = *region;
    auto db = c.svc.Lease();
    if (!db) return c.Fail(Unavailable("no database connection"));
    auto flags = store::FlagStore(*db.value()).Page(f, page->after, page->limit + 1);
    if (!flags) return c.Fail(flags.error());
    auto list = std::move(flags).value();
    more = static_cast<std::int64_t>(list.size()) > page->limit;
    if (more) list.resize(static_cast<std::size_t>(page->limit));
    for (const auto& x : list) items.push_back(FlagJson(x));
  }
  return c.Ok({{"items", items}, {"next_after", more ? JsonDoc(items.back()["flag_id"]) : JsonDoc(nullptr)}});
}

Response Entity(Call& c) {
  if (auto p = OnlyQuery(c.req, {"as_of"})) return c.Fail(*p);
  if (!c.svc.model) return c.Fail(Unavailable("no credit model is loaded (start suiji serve with --model FILE)"));
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  const std::string as_of_text = c.req.HasQuery("as_of") ? c.req.Query("as_of") : (*db.value()).Now().substr(0, 10);
  auto as_of = ParseDate(as_of_text);
  if (!as_of) return c.Fail(Unprocessable("as_of is not a date", {{"as_of", as_of.error().message}}));
  Response fail;
  auto e = VisibleEntity(c, *db.value(), c.params.at("id"), &fail);
  if (!e) return fail;
  auto x = app::ExplainEntity(*db.value(), *c.svc.model, e->id.value, as_of.value());
  if (!x) return c.Fail(x.error());
  const auto& ex = x->explanation;
  JsonDoc contributions = JsonDoc::array();
  for (const auto& k : ex.contributions)
    contributions.push_back({{"indicator", k.indicator}, {"value", k.used},         {"missing", k.missing},
                             {"transform", k.transform}, {"normalised", k.normalised}, {"weight", k.weight},
                             {"contribution", k.contribution}, {"note", k.note}});
  JsonDoc body{{"entity_id", ex.entity_id},
               {"as_of", FormatDate(ex.as_of)},
               {"score", ex.score},
               {"class", rules::RiskClassName(ex.cls)},
               {"class_label", ex.class_label},
               {"model", {{"id", ex.model_id}, {"version", ex.model_version}, {"digest", ex.model_digest}}},
               {"input_digest", ex.input_digest},
               {"run_id", x->run ? JsonDoc(x->run->run_id) : JsonDoc(nullptr)},
               {"matches_stored", x->matches_stored},
               {"note", x->note},
               {"contributions", contributions}};
  return c.Ok(body);
}

}  // namespace

void AddCreditRoutes(Router& r) {
  r.Add({"GET", "/api/v1/credit/runs", "credit.read", Runs, "every credit scoring run", true});
  r.Add({"GET", "/api/v1/credit/entities/{id}", "credit.read", Entity,
         "an entity's class and score, indicator by indicator", true});
  r.Add({"GET", "/api/v1/credit/classes", "credit.read", Classes, "a keyset page of credit classes in one run", true});
  r.Add({"GET", "/api/v1/credit/flags", "credit.read", FlagList, "a keyset page of joint-punishment flags", true});
  r.Add({"GET", "/api/v1/credit/entities/{id}/flags", "credit.read", Flags, "an entity's joint-punishment flags", true});
}

}  // namespace suiji::rest
