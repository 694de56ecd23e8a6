// Sampling plans (抽查计划) over the store: the check every adapter runs, and stored versions.
//
//   CheckPlan   the YAML against the region table, the stored item list and (once loaded) the org units;
//               error plan.invalid listing every error, or org_unit.unknown.
//   StorePlan   a checked plan as a new version (plan.store audit event); the same text as the latest
//               version stores nothing (created == false), so a retried upload is harmless.
//   GetPlan     a stored version (0 = the latest); error plan.unknown.
//   ListPlans   the latest version of every stored plan.
#pragma once
#include <string>
#include <vector>

#include "core/region.h"
#include "core/result.h"
#include "data/store/database.h"
#include "data/store/plan_store.h"
#include "rules/plan.h"

namespace suiji::app {

Result<rules::Plan> CheckPlan(store::Database& db, const RegionTable& regions, const std::string& text,
                              const std::string& label);

struct StoredPlan {
  store::PlanRecord record;
  rules::Plan plan;
  bool created = false;  // false: the latest version already had this text
};
Result<StoredPlan> StorePlan(store::Database& db, const RegionTable& regions, const std::string& text,
                             const std::string& label, const std::string& actor);
Result<store::PlanRecord> GetPlan(store::Database& db, const std::string& plan_id, std::int64_t version = 0);
Result<std::vector<store::PlanRecord>> ListPlans(store::Database& db);

}  // namespace suiji::app
