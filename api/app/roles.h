// Roles: who may do what, as one table (docs/api.md prints the same table). A route names the action it
// performs; a client's role allows a set of actions. Least privilege: each role gets what its work needs
// and nothing else — an officer reads its tasks' registers, an auditor reads everything and changes
// nothing, an integration (another department's system, also over Thrift) reads entities and credit.
//
// Actions are "<resource>.<verb>": org_units.read, entities.read, officers.read, items.read,
// registers.import, plans.read, plans.write, draws.read, draws.commit, draws.reveal, draws.substitute,
// pairings.commit, pairings.reveal, recusals.write, credit.read, audit.read, audit.verify.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace suiji::app {

struct RoleRule {
  std::string role;
  std::string summary;
  std::vector<std::string> actions;
};

const std::vector<RoleRule>& RoleTable();
const std::vector<std::string>& Actions();
bool RoleAllows(std::string_view role, std::string_view action);
// Errors: role.unknown (naming the roles).
Status ValidateRole(std::string_view role);

}  // namespace suiji::app
