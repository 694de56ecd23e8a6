// The org-unit hierarchy over the store (docs/org-units.md): what `suiji org-units show` prints, and
// the check that plans, draws and officers name a unit of it.
//
//   ShowOrgUnit      a unit, its path up to the root and its direct children.
//   CheckOrgUnitKnown  a unit some record names must be in the table, once the table has units; an
//                   empty table checks nothing (registers imported before org units keep working).
#pragma once
#include <string>
#include <vector>

#include "core/domain.h"
#include "core/result.h"
#include "data/store/database.h"

namespace suiji::app {

struct OrgUnitView {
  std::vector<OrgUnit> path;      // from the root down to the unit itself (its last element)
  std::vector<OrgUnit> children;  // the units directly below it, by code
  const OrgUnit& unit() const { return path.back(); }
};

// Errors: org_unit.unknown (no such unit), org_unit.cycle (a stored parent chain that loops: the
// table was written around the importer).
Result<OrgUnitView> ShowOrgUnit(store::Database& db, const std::string& code);

// `what` names the record for the message, e.g. "plan P-2026-01". Errors: org_unit.unknown.
Status CheckOrgUnitKnown(store::Database& db, const std::string& code, const std::string& what);

}  // namespace suiji::app
