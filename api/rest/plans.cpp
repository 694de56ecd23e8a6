// Sampling plans, scoped to the caller's org unit by the plan's org_unit:
//   POST /api/v1/plans/validate {"plan": YAML}  the same check as `suiji plan validate` (regions against
//        the region table, items against the stored item list): 200 with the plan's id, org unit, digest
//        and summary, or 422 with every error as {"field": "plan:LINE field", "reason"}.
//   POST /api/v1/plans {"plan": YAML}   store it as a new version (`suiji plan store`): 201, or 200 with
//        "created": false when the latest version has the same text; a unit outside the caller's is 403.
//   GET  /api/v1/plans                  the latest version of every plan the caller may see
//   GET  /api/v1/plans/{id}?version=N   one version (default the latest) with its YAML and every version
// A plan outside the caller's scope is 404.
#include "api/app/plans.h"
#include "api/rest/handlers.h"
#include "data/store/item_store.h"
#include "rules/plan_json.h"
#include "rules/plan_parse.h"

namespace suiji::rest {

Problem PlanProblem(const rules::PlanParse& parsed) {
  std::vector<FieldError> errors;
  for (const auto& e : parsed.errors)
    errors.push_back(
        {"plan" + (e.line ? ":" + std::to_string(e.line) : std::string()) + (e.field.empty() ? "" : " " + e.field),
         e.message});
  return Unprocessable("the plan has " + std::to_string(parsed.errors.size()) + " error(s)", errors);
}

namespace {

Response Validate(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto body = JsonBody(c.req, {{"plan", BodyField::kString, true}}, &problem);
  if (!body) return c.Fail(problem);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  std::vector<InspectionItem> items;
  if (auto st = store::ItemStore(*db.value()).ForEach([&](const InspectionItem& i) {
        items.push_back(i);
        return true;
      });
      !st)
    return c.Fail(st.error());
  rules::PlanCheck check;
  check.regions = c.svc.regions;
  if (!items.empty()) check.items = &items;
  auto parsed = rules::ParsePlan((*body)["plan"].get<std::string>(), "plan", check);
  if (!parsed.ok()) return c.Fail(PlanProblem(parsed));
  return c.Ok({{"valid", true},
               {"id", parsed.plan.id},
               {"org_unit", parsed.plan.org_unit},
               {"digest", rules::PlanDigest(parsed.plan)},
               {"summary", rules::DescribePlan(parsed.plan)}});
}

JsonDoc PlanJson(const store::PlanRecord& p) {
  return {{"plan_id", p.plan_id},     {"version", p.version},     {"org_unit", p.org_unit},
          {"plan_digest", p.plan_digest}, {"stored_at", p.stored_at}, {"stored_by", p.stored_by}};
}

Response Store(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  Problem problem;
  auto body = JsonBody(c.req, {{"plan", BodyField::kString, true}}, &problem);
  if (!body) return c.Fail(problem);
  const std::string text = (*body)["plan"].get<std::string>();
  rules::PlanCheck check;
  check.regions = c.svc.regions;
  auto parsed = rules::ParsePlan(text, "plan", check);
  if (!parsed.ok()) return c.Fail(PlanProblem(parsed));
  if (!c.scope.SeesUnit(parsed.plan.org_unit))
    return c.Fail(Forbidden("the plan is for org unit " + parsed.plan.org_unit + ", outside " + c.scope.unit()));
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto stored = app::StorePlan(*db.value(), *c.svc.regions, text, "plan", Actor(c));
  if (!stored) return c.Fail(stored.error());
  JsonDoc out = PlanJson(stored->record);
  out["created"] = stored->created;
  out["summary"] = rules::DescribePlan(stored->plan);
  return c.Ok(out, stored->created ? 201 : 200);
}

Response List(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto plans = app::ListPlans(*db.value());
  if (!plans) return c.Fail(plans.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& p : plans.value())
    if (c.scope.SeesUnit(p.org_unit)) items.push_back(PlanJson(p));
  return c.Ok({{"items", items}});
}

Response Get(Call& c) {
  if (auto p = OnlyQuery(c.req, {"version"})) return c.Fail(*p);
  std::int64_t version = 0;
  if (const std::string v = c.req.Query("version"); !v.empty()) {
    if (v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos || v == "0")
      return c.Fail(BadRequest("version must be a positive integer", {{"version", "not a positive integer"}}));
    version = std::stoll(v);
  }
  const std::string& id = c.params.at("id");
  auto db = c.svc.Lease();
  if (!db) return c.Fail(Unavailable("no database connection"));
  auto p = app::GetPlan(*db.value(), id, version);
  if (!p) return c.Fail(p.error());
  if (!c.scope.SeesUnit(p->org_unit)) return c.Fail(NotFound("no stored plan " + id));
  auto versions = store::PlanStore(*db.value()).Versions(id);
  if (!versions) return c.Fail(versions.error());
  JsonDoc out = PlanJson(p.value());
  out["plan"] = p->plan_text;
  JsonDoc all = JsonDoc::array();
  for (const auto& v : versions.value())
    all.push_back({{"version", v.version}, {"plan_digest", v.plan_digest}, {"stored_at", v.stored_at}, {"stored_by", v.stored_by}});
  out["versions"] = all;
  return c.Ok(out);
}

}  // namespace

void AddPlanRoutes(Router& r) {
  r.Add({"POST", "/api/v1/plans/validate", "plans.read", Validate, "check a sampling plan; its digest or every error"});
  r.Add({"POST", "/api/v1/plans", "plans.write", Store, "store a sampling plan as a new version"});
  r.Add({"GET", "/api/v1/plans", "plans.read", List, "the latest version of every plan of the caller's units", true});
  r.Add({"GET", "/api/v1/plans/{id}", "plans.read", Get, "one stored plan version with its YAML", true});
}

}  // namespace suiji::rest
