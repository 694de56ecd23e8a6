// InMemoryCreditBackend: a CreditBackend over maps, for tests, the benchmark and demos.
//
// Seed it with entities (their lists, flags and classification), then serve it. Pushed list decisions
// change list memberships (ADD opens one, REMOVE closes the open one); flags are NOT derived from
// lists here - that is the credit engine's job in the production backend. Pushes for an entity not
// in the register are not_found. Thread-safe (one mutex); pushes are atomic per call.
#pragma once
#include <map>
#include <unordered_map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/thrift/credit_backend.h"

namespace suiji::rpc {

struct SeedEntity {
  EntityId id;
  std::string name;
  std::vector<ListMembership> lists;
  std::vector<Flag> flags;  // all flags, current and expired; queries filter by date
  std::optional<Classification> classification;
};

class InMemoryCreditBackend : public CreditBackend {
 public:
  // Adds or replaces an entity.
  void Put(SeedEntity entity);

  Result<EntityRecord> GetEntity(const EntityId& id, Date as_of) override;
  Result<std::vector<std::optional<std::vector<Flag>>>> BatchFlags(const std::vector<EntityId>& ids,
                                                                   Date as_of) override;
  Result<Classification> GetClassification(const EntityId& id) override;
  Result<std::vector<PushReceipt>> RecordPenalties(const Pusher& by, const std::vector<Penalty>& items) override;
  Result<std::vector<PushReceipt>> RecordListDecisions(const Pusher& by,
                                                       const std::vector<ListDecision>& items) override;
  Result<std::vector<PushReceipt>> RecordIndicators(const Pusher& by,
                                                    const std::vector<ExternalIndicator>& items) override;
  // Recorded only (the membership must be in force on the decision date); lists are not changed.
  Result<std::vector<PushReceipt>> RecordRepairs(const Pusher& by, const std::vector<RepairDecision>& items) override;

  // What was pushed, for tests: penalties and indicators in arrival order with their pushing client.
  std::vector<std::pair<Pusher, Penalty>> Penalties() const;
  std::vector<std::pair<Pusher, ExternalIndicator>> Indicators() const;
  std::vector<std::pair<Pusher, RepairDecision>> Repairs() const;

 private:
  struct Keyed {
    std::string id;
    std::string digest;  // identity of the content, to tell a duplicate from a conflict
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, SeedEntity> entities_;  // by normalised id value
  std::map<std::string, Keyed> push_keys_;      // idempotency key -> receipt id + content
  std::vector<std::pair<Pusher, Penalty>> penalties_;
  std::vector<std::pair<Pusher, ListDecision>> decisions_;
  std::vector<std::pair<Pusher, ExternalIndicator>> indicators_;
  std::vector<std::pair<Pusher, RepairDecision>> repairs_;
  long next_id_ = 1;
};

}  // namespace suiji::rpc
