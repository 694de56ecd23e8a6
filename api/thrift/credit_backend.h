// CreditBackend: what the Thrift service needs from the rest of suiji, and nothing more.
//
// The service (handler.h) authenticates, validates and translates; a backend answers with plain
// values. Production wires one over data/store + credit/; InMemoryCreditBackend (memory_backend.h)
// serves the tests and the benchmark. Every argument a backend receives is already validated:
// entity ids are parsed (core ParseEntityId), dates are real dates, required strings non-empty,
// list names known, numbers finite.
//
// Errors: a backend returns suiji::Error with one of the codes below; the service maps them to
// SuijiError codes. For a batch push, `field` is relative to the batch, "[i]" or "[i].entity_code";
// the service prefixes the argument name. Anything else is reported to the caller as INTERNAL
// (with a log reference, never the backend's message).
//
// Thread safety: the server calls a backend from many connection threads at once.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/identifiers.h"
#include "core/result.h"

namespace suiji::rpc {

// Backend error codes the service understands.
inline constexpr const char* kErrNotFound = "not_found";  // -> NOT_FOUND
inline constexpr const char* kErrInvalid = "invalid";     // -> INVALID_ARGUMENT (e.g. a conflicting re-push)

// The public lists.
inline constexpr std::string_view kAbnormalOperations = "abnormal_operations";  // 经营异常名录
inline constexpr std::string_view kSeriousViolation = "serious_violation";      // 严重违法失信名单
bool IsPublicList(std::string_view list);

struct ListMembership {
  std::string list;  // kAbnormalOperations | kSeriousViolation
  std::string reason;
  Date listed_on;
  std::string authority;
  std::optional<Date> removed_on;  // nullopt while listed
  std::string removal_reason;
  bool operator==(const ListMembership&) const = default;
};

// A joint-punishment measure applying to an entity under a memorandum.
struct Flag {
  std::string memorandum;
  std::string measure;
  std::string implementing_department;
  std::string legal_basis;
  Date starts_on;
  std::optional<Date> ends_on;  // nullopt: until the triggering listing ends
  bool operator==(const Flag&) const = default;
};

// The public view of one entity.
struct EntityRecord {
  EntityId id;
  std::string name;
  std::vector<ListMembership> lists;  // current and past memberships
  std::vector<Flag> flags;            // flags in force on the requested date
};

struct IndicatorContribution {
  std::string indicator;
  double value = 0;
  double weight = 0;
  double contribution = 0;
  bool imputed = false;
};

// Internal: never part of a public answer.
struct Classification {
  EntityId id;
  std::string credit_class;  // "A".."D"
  double score = 0;
  std::string model_version;
  Date as_of;
  std::vector<IndicatorContribution> contributions;
};

struct Penalty {
  EntityId entity;
  std::string decision_no;
  std::string authority;
  Date decided_on;
  std::string category;
  std::int64_t fine_fen = 0;
  std::string legal_basis;
  std::string description;
  bool operator==(const Penalty&) const = default;
};

enum class ListAction { kAdd, kRemove };

struct ListDecision {
  EntityId entity;
  std::string list;
  ListAction action = ListAction::kAdd;
  std::string decision_no;
  std::string authority;
  Date decided_on;
  std::string reason;
  bool operator==(const ListDecision&) const = default;
};

struct ExternalIndicator {
  EntityId entity;
  std::string indicator;
  double value = 0;
  Date as_of;
  std::string source_department;  // always the pushing client's department
  bool operator==(const ExternalIndicator&) const = default;
};

// A credit-repair decision on the entity's membership of `list` in force on `decided_on`.
struct RepairDecision {
  EntityId entity;
  std::string list;  // kAbnormalOperations | kSeriousViolation
  std::string decision_no;
  std::string authority;
  Date decided_on;
  bool granted = true;
  std::string reason;
  bool operator==(const RepairDecision&) const = default;
};

// Who pushed: recorded with every pushed item. Idempotency keys are per department.
struct Pusher {
  std::string client_id;
  std::string department;
};

struct PushReceipt {
  std::string id;          // the backend's record id
  bool duplicate = false;  // the identical item was recorded before; nothing changed
};

class CreditBackend {
 public:
  virtual ~CreditBackend() = default;

  // The entity's list memberships and the flags in force on `as_of`. Unknown entity: not_found.
  virtual Result<EntityRecord> GetEntity(const EntityId& id, Date as_of) = 0;

  // Flags in force on `as_of` for each id, in order; nullopt for an entity not in the register.
  // One call per batch, so a database backend can answer with one query.
  virtual Result<std::vector<std::optional<std::vector<Flag>>>> BatchFlags(const std::vector<EntityId>& ids,
                                                                           Date as_of) = 0;

  // The latest classification. Unknown or unclassified entity: not_found.
  virtual Result<Classification> GetClassification(const EntityId& id) = 0;

  // Pushes are atomic: either every item is recorded (one receipt each, in order) or none is.
  // Re-pushing an identical item (same department and decision_no, or same indicator key and value)
  // gives duplicate = true; the same key with different content is kErrInvalid.
  virtual Result<std::vector<PushReceipt>> RecordPenalties(const Pusher& by, const std::vector<Penalty>& items) = 0;
  virtual Result<std::vector<PushReceipt>> RecordListDecisions(const Pusher& by,
                                                               const std::vector<ListDecision>& items) = 0;
  virtual Result<std::vector<PushReceipt>> RecordIndicators(const Pusher& by,
                                                            const std::vector<ExternalIndicator>& items) = 0;
  // The membership must be in force on the decision date (else kErrInvalid); it is not ended here:
  // the credit engine applies the decision with the list rules (api/app/credit.h UpdateFlags).
  virtual Result<std::vector<PushReceipt>> RecordRepairs(const Pusher& by, const std::vector<RepairDecision>& items) = 0;
};

}  // namespace suiji::rpc
