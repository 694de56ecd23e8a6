// POST /api/v1/plans/validate {"plan": YAML}: the same check as `suiji plan validate` (regions against
// the region table, items against the stored item list): 200 with the plan's id, org unit, digest and
// summary, or 422 with every error as {"field": "plan:LINE field", "reason"}.
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

}  // namespace

void AddPlanRoutes(Router& r) {
  r.Add({"POST", "/api/v1/plans/validate", "plans.read", Validate, "check a sampling plan; its digest or every error"});
}

}  // namespace suiji::rest
