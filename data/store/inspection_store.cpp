#include "data/store/inspection_store.h"

namespace suiji::store {

const TableSpec& InspectionCodec::Spec() {
  static const TableSpec spec{"inspections",
                              {"entity_id", "department", "inspected_on", "result", "officers", "plan_id"},
                              3,
                              {"officers"},
                              "",
                              "inspection"};
  return spec;
}

Row InspectionCodec::ToRow(const Inspection& i) {
  return {i.entity_id, i.department, i.inspected_on, i.result, EncodeList(i.officers), i.plan_id};
}

Result<Inspection> InspectionCodec::FromRow(const Row& r) {
  auto officers = DecodeList(r[4], "officers");
  if (!officers) return officers.error();
  return Inspection{r[0], r[1], r[2], r[3], std::move(officers).value(), r[5]};
}

}  // namespace suiji::store
