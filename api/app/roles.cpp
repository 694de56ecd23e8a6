#include "api/app/roles.h"

#include <algorithm>

namespace suiji::app {

const std::vector<std::string>& Actions() {
  static const std::vector<std::string> a{
      "org_units.read", "entities.read",  "officers.read",  "items.read",      "registers.import",
      "plans.read",     "plans.write",    "draws.read",     "draws.commit",    "draws.reveal",
      "draws.substitute", "pairings.commit", "pairings.reveal", "recusals.write", "credit.read",
      "audit.read",     "audit.verify",   "results.read",   "results.enter",   "results.review",
      "results.publish", "objections.decide", "reports.read"};
  return a;
}

const std::vector<RoleRule>& RoleTable() {
  static const std::vector<RoleRule> t{
      {"admin", "everything within its org unit, but entering and signing results (an officer of the team only)",
       [] {
         std::vector<std::string> a = Actions();
         a.erase(std::find(a.begin(), a.end(), "results.enter"));
         return a;
       }()},
      {"planner", "registers, plans, draws and pairings of its unit",
       {"org_units.read", "entities.read", "officers.read", "items.read", "registers.import", "plans.read",
        "plans.write", "draws.read", "draws.commit", "draws.reveal", "draws.substitute", "pairings.commit",
        "pairings.reveal", "recusals.write", "credit.read", "results.read", "reports.read"}},
      {"officer", "reads the registers and draws its tasks come from; enters and signs its own team's results",
       {"org_units.read", "entities.read", "items.read", "draws.read", "results.read", "results.enter"}},
      {"reviewer", "reviews (returns or approves) and publishes its unit's results; decides objections",
       {"org_units.read", "entities.read", "officers.read", "items.read", "plans.read", "draws.read", "results.read",
        "results.review", "results.publish", "objections.decide", "reports.read"}},
      {"auditor", "reads everything, verifies the audit chain, changes nothing",
       {"org_units.read", "entities.read", "officers.read", "items.read", "plans.read", "draws.read", "credit.read",
        "audit.read", "audit.verify", "results.read", "reports.read"}},
      {"integration", "another department's system: entities and credit (also the Thrift service)",
       {"entities.read", "credit.read"}},
  };
  return t;
}

bool RoleAllows(std::string_view role, std::string_view action) {
  for (const auto& r : RoleTable())
    if (r.role == role) return std::find(r.actions.begin(), r.actions.end(), action) != r.actions.end();
  return false;
}

Status ValidateRole(std::string_view role) {
  std::string names;
  for (const auto& r : RoleTable()) {
    if (r.role == role) return OkStatus();
    names += (names.empty() ? "" : ", ") + r.role;
  }
  return Error{"role.unknown", "'" + std::string(role) + "' is not a role (one of: " + names + ")", "role"};
}

}  // namespace suiji::app
