// ItemStore: the inspection-item list (抽查事项清单), table `inspection_items`, key (department, code).
#pragma once
#include "core/domain.h"
#include "data/store/repository.h"

namespace suiji::store {

struct ItemCodec {
  using Value = InspectionItem;
  static const TableSpec& Spec();
  static Row ToRow(const InspectionItem& i);
  static Result<InspectionItem> FromRow(const Row& r);
};

class ItemStore : public Repository<ItemCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<InspectionItem>> Get(std::string_view department, std::string_view code) {
    return GetByKey({std::string(department), std::string(code)});
  }
  // One department's list, by code.
  Result<std::vector<InspectionItem>> ByDepartment(std::string_view department) {
    auto rows = table_.Select("\"department\" = :p0", {std::string(department)});
    if (!rows) return rows.error();
    return Decode(rows.value());
  }
};

}  // namespace suiji::store
