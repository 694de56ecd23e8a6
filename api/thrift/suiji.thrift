// suiji credit-system integration service (双随机、一公开 / 信用监管).
//
// Who calls it: other departments' credit and enforcement systems. They read the public lists
// and joint-punishment flags of market entities, push their own penalties, list decisions and
// indicator values, and - when authorised - read the internal credit-risk classification.
//
// Transport: TFramedTransport + TBinaryProtocol over TCP (frames bound the size of a message).
//
// Authentication: every call carries the caller's token as its first argument (no per-connection
// state, so calls may go through any replica behind a load balancer). The server stores only the
// SHA-256 of each token. A token belongs to one client (id, department, scopes):
//   read_public  getEntity, batchFlags
//   read_class   getClassification (risk classes are internal and never public)
//   push         pushPenalties, pushListDecisions, pushIndicators, pushRepairs
//
// Entity codes: a unified social credit code (18 characters, check character verified), a
// 15-digit registration number (check digit verified) or a legacy identifier; surrounding spaces
// are trimmed and ASCII letters upper-cased. A code that fails validation is INVALID_ARGUMENT.
//
// Dates are strings "YYYY-MM-DD". Optional fields absent = not applicable (e.g. not removed).

namespace cpp suiji.thriftgen
namespace py suiji_rpc

// Error codes carried by SuijiError.code.
enum ErrorCode {
  UNAUTHENTICATED = 1,   // token missing, unknown or revoked
  FORBIDDEN = 2,         // valid token, but the client lacks the scope (or pushes for another department)
  INVALID_ARGUMENT = 3,  // a malformed code, date, value or missing field; `field` names it
  NOT_FOUND = 4,         // the entity (or its classification) does not exist
  BATCH_TOO_LARGE = 5,   // more items in one call than the server's batch limit
  INTERNAL = 6,          // the server failed; the message carries a reference for its log
  RATE_LIMITED = 7,      // too many refused tokens from this address lately; the message says when to retry
}

// Every failure of every call. `field` is the argument path, e.g. "codes[17]" or
// "penalties[2].decided_on", or empty when the error is about the call as a whole.
exception SuijiError {
  1: ErrorCode code,
  2: string message,
  3: string field,
}

// Public list names.
//   "abnormal_operations"  经营异常名录
//   "serious_violation"    严重违法失信名单
struct ListMembership {
  1: string list_name,
  2: string reason,                  // 列入原因
  3: string listed_on,               // 列入日期
  4: string authority,               // 作出决定机关
  5: optional string removed_on,     // 移出日期, absent while listed
  6: optional string removal_reason, // 移出原因
}

// A joint-punishment measure (联合惩戒) that applies to an entity under a memorandum.
struct Flag {
  1: string memorandum,                // memorandum identifier, e.g. "发改财金〔2018〕1933号"
  2: string measure,                   // the measure, e.g. "限制参与政府采购"
  3: string implementing_department,   // 实施部门
  4: string legal_basis,               // 法律依据
  5: string starts_on,                 // first day the measure applies
  6: optional string ends_on,          // last day, absent = until removal from the triggering list
}

// What the public may know of an entity: its list memberships (current and past) and its flags.
struct EntityRecord {
  1: string code,                      // normalised code
  2: string name,
  3: list<ListMembership> lists,
  4: list<Flag> flags,
}

// One entry of a batch flag query, in the order of the request.
struct EntityFlags {
  1: string code,                      // normalised code
  2: bool known,                       // false: the entity is not in the register (flags empty)
  3: list<Flag> flags,
}

// How much one indicator moved the score.
struct IndicatorContribution {
  1: string indicator,                 // indicator name from the scoring model
  2: double value,                     // the raw value used (after imputation)
  3: double weight,
  4: double contribution,              // points added to (or taken from) the score
  5: bool imputed,                     // true: the value was missing and imputed by the model's rule
}

// The internal credit-risk classification. Requires scope read_class.
struct Classification {
  1: string code,
  2: string credit_class,              // "A" low, "B" general, "C" relatively high, "D" high risk
  3: double score,
  4: string model_version,
  5: string as_of,
  6: list<IndicatorContribution> contributions,
}

// A penalty decided by another department (行政处罚).
struct Penalty {
  1: string entity_code,
  2: string decision_no,               // 处罚决定书文号: with the pushing department, the idempotency key
  3: string authority,                 // deciding authority
  4: string decided_on,
  5: string category,                  // e.g. "warning", "fine", "confiscation", "licence_revoked"
  6: i64 fine_fen = 0,                 // fine in fen (0.01 yuan), >= 0
  7: string legal_basis,
  8: string description,
}

enum ListAction {
  ADD = 1,
  REMOVE = 2,
}

// A decision to put an entity on, or take it off, a public list.
struct ListDecision {
  1: string entity_code,
  2: string list_name,                 // "abnormal_operations" | "serious_violation"
  3: ListAction action,
  4: string decision_no,               // with the pushing department, the idempotency key
  5: string authority,
  6: string decided_on,
  7: string reason,
}

// A value of an external indicator (e.g. tax credit rating, social-insurance arrears).
struct ExternalIndicator {
  1: string entity_code,
  2: string indicator,                 // e.g. "tax_rating", "social_insurance_arrears_months"
  3: double value,                     // finite
  4: string as_of,
  5: string source_department,         // empty = the caller's department; another department = FORBIDDEN
}

// A decided application for credit repair (信用修复) of the entity's membership of a list in force on
// decided_on. Granted: the membership ends early when the list rules allow it (the serious list after
// its minimum period; an earlier decision is recorded as refused with the rule's reason); refused
// (不予修复): it continues and the reason is recorded. Takes effect at the next flags update.
struct RepairDecision {
  1: string entity_code,
  2: string list_name,                 // "abnormal_operations" | "serious_violation"
  3: string decision_no,               // 信用修复决定书文号: with the pushing department, the idempotency key
  4: string authority,
  5: string decided_on,
  6: bool granted,
  7: string reason,                    // the basis of a granted repair, or why it was refused
}

// One receipt per pushed item, in the order of the request.
struct PushReceipt {
  1: string id,                        // the server's record id
  2: bool duplicate,                   // true: the same item was pushed before; nothing changed
}

service SuijiCredit {
  // Server version; needs no token (health checks).
  string ping(),

  // An entity's public lists and flags. Unknown entity: NOT_FOUND.
  EntityRecord getEntity(1: string token, 2: string code) throws (1: SuijiError err),

  // Flags for many entities in one call (at most the batch limit, 10,000 by default).
  // Unknown entities come back with known = false; one malformed code fails the whole call.
  list<EntityFlags> batchFlags(1: string token, 2: list<string> codes) throws (1: SuijiError err),

  // The entity's current classification. Unknown or unclassified entity: NOT_FOUND.
  Classification getClassification(1: string token, 2: string code) throws (1: SuijiError err),

  // Pushes are all-or-nothing: every item is validated first; one bad item rejects the call.
  list<PushReceipt> pushPenalties(1: string token, 2: list<Penalty> penalties) throws (1: SuijiError err),
  list<PushReceipt> pushListDecisions(1: string token, 2: list<ListDecision> decisions) throws (1: SuijiError err),
  list<PushReceipt> pushIndicators(1: string token, 2: list<ExternalIndicator> values) throws (1: SuijiError err),
  list<PushReceipt> pushRepairs(1: string token, 2: list<RepairDecision> decisions) throws (1: SuijiError err),
}
