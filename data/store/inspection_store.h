// InspectionStore: inspection history, table `inspections`, key (entity_id, department, inspected_on).
// The sampler's "inspected by this department within N days" exclusion and the "officer who
// inspected it last time" recusal read it (through Since()).
#pragma once
#include <string>
#include <vector>

#include "data/store/repository.h"

namespace suiji::store {

// One completed inspection of one entity by one department.
struct Inspection {
  std::string entity_id;
  std::string department;
  std::string inspected_on;           // YYYY-MM-DD
  std::string result;                 // e.g. "no_problem", "problem_corrected", "not_found" (result vocabulary)
  std::vector<std::string> officers;  // cert_no of each team member
  std::string plan_id;                // the sampling plan it came from, empty for other inspections
  bool operator==(const Inspection&) const = default;
};

struct InspectionCodec {
  using Value = Inspection;
  static const TableSpec& Spec();
  static Row ToRow(const Inspection& i);
  static Result<Inspection> FromRow(const Row& r);
};

class InspectionStore : public Repository<InspectionCodec> {
 public:
  using Repository::Repository;
  Result<std::optional<Inspection>> Get(std::string_view entity_id, std::string_view department,
                                        std::string_view inspected_on) {
    return GetByKey({std::string(entity_id), std::string(department), std::string(inspected_on)});
  }
  // Inspections on or after `date` (YYYY-MM-DD), ordered by key.
  Result<std::vector<Inspection>> Since(std::string_view date) {
    auto rows = table_.Select("\"inspected_on\" >= :p0", {std::string(date)});
    if (!rows) return rows.error();
    return Decode(rows.value());
  }
  // One entity's history, ordered by department then date.
  Result<std::vector<Inspection>> ForEntity(std::string_view entity_id) {
    auto rows = table_.Select("\"entity_id\" = :p0", {std::string(entity_id)});
    if (!rows) return rows.error();
    return Decode(rows.value());
  }
};

}  // namespace suiji::store
