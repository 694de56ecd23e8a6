// GET /api/v1/org-units: the caller's part of the hierarchy (its unit and every unit below it; all of
// it for a client without a unit), each with its parent, level, region and department.
#include "api/rest/handlers.h"

namespace suiji::rest {
namespace {

Response List(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  auto units = c.svc.Units();
  if (!units) return c.Fail(units.error());
  JsonDoc items = JsonDoc::array();
  for (const auto& u : units.value()->all()) {
    if (!c.scope.SeesUnit(u.code)) continue;
    items.push_back({{"code", u.code}, {"name", u.name}, {"level", u.level}, {"parent", u.parent}, {"region", u.region},
                     {"department", u.department}});
  }
  return c.Ok({{"items", items}, {"scope", c.scope.all() ? "" : c.scope.unit()}});
}

}  // namespace

void AddOrgUnitRoutes(Router& r) {
  r.Add({"GET", "/api/v1/org-units", "org_units.read", List, "the caller's part of the org-unit hierarchy", true});
}

}  // namespace suiji::rest
