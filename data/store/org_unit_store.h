// OrgUnitStore: the org-unit hierarchy (national > province > city > county > station, see
// core/org_units.h), table `org_units`, key `code`. The tree is checked before it is written (the
// org-unit importer, data/import/importer.h); the store keeps what it is given.
#pragma once
#include "core/domain.h"
#include "data/store/repository.h"

namespace suiji::store {

struct OrgUnitCodec {
  using Value = OrgUnit;
  static const TableSpec& Spec();
  static Row ToRow(const OrgUnit& u) { return {u.code, u.name, u.level, u.parent, u.region, u.department}; }
  static Result<OrgUnit> FromRow(const Row& r) { return OrgUnit{r[0], r[1], r[2], r[3], r[4], r[5]}; }
};

class OrgUnitStore : public Repository<OrgUnitCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<OrgUnit>> Get(std::string_view code) { return GetByKey({std::string(code)}); }
  // The units whose parent is `code`, by code (index org_units_parent, migration 0008).
  Result<std::vector<OrgUnit>> Children(std::string_view code) {
    auto rows = table_.Select("\"parent\" = :p0", {std::string(code)});
    if (!rows) return rows.error();
    return Decode(rows.value());
  }
  // Every unit, by code: the tree an import is checked against.
  Result<std::vector<OrgUnit>> All() {
    std::vector<OrgUnit> out;
    if (auto st = ForEach([&](const OrgUnit& u) {
          out.push_back(u);
          return true;
        });
        !st)
      return st.error();
    return out;
  }
};

}  // namespace suiji::store
