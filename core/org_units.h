// OrgUnits: the hierarchy of regulator units. A unit sees its own data and that of every unit
// below it, never that of a unit above or beside it.
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "core/domain.h"
#include "core/result.h"

namespace suiji {

class OrgUnits {
 public:
  // Rejects duplicates, unknown parents, cycles and levels that do not descend province > city > county.
  static Result<OrgUnits> Build(std::vector<OrgUnit> units);
  const OrgUnit* Find(const std::string& code) const;
  // True when `viewer` is `target` or an ancestor of it.
  bool Sees(const std::string& viewer, const std::string& target) const;
  std::vector<std::string> Descendants(const std::string& code) const;  // including code itself
  const std::vector<OrgUnit>& all() const { return units_; }

 private:
  std::vector<OrgUnit> units_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace suiji
