// Stored sampling plans (table plans, migration 0011): versions of a plan's YAML, never edited.
//
//   Insert   a new version inside the caller's transaction (the version is given by the caller: the
//            latest + 1, read under the same transaction's write lock).
//   Latest / Get / Versions / ListLatest   reads.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "data/store/database.h"

namespace suiji::store {

struct PlanRecord {
  std::string plan_id;
  std::int64_t version = 0;  // 1, 2, ...
  std::string org_unit, plan_digest, plan_text, stored_at, stored_by;
};

class PlanStore {
 public:
  explicit PlanStore(Database& db) : db_(db) {}
  Status Insert(Transaction& tx, const PlanRecord& p);
  Result<std::optional<PlanRecord>> Latest(const std::string& plan_id);
  Result<std::optional<PlanRecord>> Get(const std::string& plan_id, std::int64_t version);
  Result<std::vector<PlanRecord>> Versions(const std::string& plan_id);  // oldest first
  // The latest version of every plan, by plan id; without the texts (plan_text empty).
  Result<std::vector<PlanRecord>> ListLatest();

 private:
  Database& db_;
};

}  // namespace suiji::store
