// Credit, for regulators only (classes are internal: never on a public route):
//   GET /api/v1/credit/runs                          every scoring run (model, date, counts by class)
//   GET /api/v1/credit/entities/{id}?as_of=DATE      the entity's class and score in the run in force
//                                                    on the date (default today), with every indicator's
//                                                    contribution, recomputed and checked against the
//                                                    stored score (the model: serve --model, else the
//                                                    example model)
//   GET /api/v1/credit/entities/{id}/flags           its joint-punishment flags (失信联合惩戒): memorandum,
//                                                    measure, department, legal basis, trigger, start/end
// An entity outside the caller's region is 404.
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
  for (const auto& f : flags.value())
    items.push_back({{"flag_id", f.flag_id},         {"memorandum", f.memorandum},   {"memorandum_title", f.memorandum_title},
                     {"document", f.document},       {"measure_id", f.measure_id},   {"measure", f.measure},
                     {"department", f.department},   {"legal_basis", f.legal_basis}, {"trigger_kind", f.trigger_kind},
                     {"trigger_id", f.trigger_id},   {"start_on", f.start_on},       {"end_on", f.end_on}});
  return c.Ok({{"entity_id", e->id.value}, {"items", items}});
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
  r.Add({"GET", "/api/v1/credit/entities/{id}/flags", "credit.read", Flags, "an entity's joint-punishment flags", true});
}

}  // namespace suiji::rest
