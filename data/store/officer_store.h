// OfficerStore: the register of enforcement officers (执法检查人员名录库), table `officers`, key `cert_no`.
#pragma once
#include "core/domain.h"
#include "data/store/repository.h"

namespace suiji::store {

struct OfficerCodec {
  using Value = Officer;
  static const TableSpec& Spec();
  static Row ToRow(const Officer& o);
  static Result<Officer> FromRow(const Row& r);
};

class OfficerStore : public Repository<OfficerCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<Officer>> Get(std::string_view cert_no) { return GetByKey({std::string(cert_no)}); }
  // Officers of one org unit, by cert_no.
  Result<std::vector<Officer>> ByOrgUnit(std::string_view org_unit) {
    auto rows = table_.Select("\"org_unit\" = :p0", {std::string(org_unit)});
    if (!rows) return rows.error();
    return Decode(rows.value());
  }
};

}  // namespace suiji::store
