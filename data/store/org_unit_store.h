// OrgUnitStore: the org-unit hierarchy (province > city > county), table `org_units`, key `code`.
#pragma once
#include "core/domain.h"
#include "data/store/repository.h"

namespace suiji::store {

struct OrgUnitCodec {
  using Value = OrgUnit;
  static const TableSpec& Spec();
  static Row ToRow(const OrgUnit& u) { return {u.code, u.name, u.level, u.parent, u.region}; }
  static Result<OrgUnit> FromRow(const Row& r) { return OrgUnit{r[0], r[1], r[2], r[3], r[4]}; }
};

class OrgUnitStore : public Repository<OrgUnitCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<OrgUnit>> Get(std::string_view code) { return GetByKey({std::string(code)}); }
};

}  // namespace suiji::store
