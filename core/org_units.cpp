#include "core/org_units.h"

namespace suiji {
namespace {
int LevelRank(const std::string& level) {
  if (level == "province") return 0;
  if (level == "city") return 1;
  if (level == "county") return 2;
  return -1;
}
}  // namespace

Result<OrgUnits> OrgUnits::Build(std::vector<OrgUnit> units) {
  OrgUnits o;
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (units[i].code.empty()) return Error{"org.code", "an org unit has an empty code", "code"};
    if (LevelRank(units[i].level) < 0)
      return Error{"org.level", "org unit " + units[i].code + ": level must be province, city or county", "level"};
    if (!o.index_.emplace(units[i].code, i).second)
      return Error{"org.duplicate", "org unit " + units[i].code + " appears twice", "code"};
  }
  o.units_ = std::move(units);
  for (const auto& u : o.units_) {
    if (u.parent.empty()) continue;
    const OrgUnit* p = o.Find(u.parent);
    if (!p) return Error{"org.parent", "org unit " + u.code + ": parent " + u.parent + " is unknown", "parent"};
    if (LevelRank(p->level) >= LevelRank(u.level))
      return Error{"org.level", "org unit " + u.code + " (" + u.level + ") cannot sit under " + p->code + " (" + p->level + ")", "level"};
  }
  return o;  // strictly descending levels exclude cycles
}

const OrgUnit* OrgUnits::Find(const std::string& code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &units_[it->second];
}

bool OrgUnits::Sees(const std::string& viewer, const std::string& target) const {
  for (const OrgUnit* u = Find(target); u; u = u->parent.empty() ? nullptr : Find(u->parent))
    if (u->code == viewer) return true;
  return false;
}

std::vector<std::string> OrgUnits::Descendants(const std::string& code) const {
  std::vector<std::string> out;
  for (const auto& u : units_)
    if (Sees(code, u.code)) out.push_back(u.code);
  return out;
}

}  // namespace suiji
