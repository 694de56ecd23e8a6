// The audit log: an append-only, hash-chained record of every write that matters.
//
//   audit_log(seq, at, actor, action, subject, payload, prev_hash, hash)
//   hash = SHA-256 hex of the canonical JSON of {action, actor, at, payload, prev_hash, seq, subject}
//   (payload as a JSON value, seq as an integer); prev_hash of seq 1 is 64 zeros; seq has no gaps.
//
// Appends happen inside the caller's Transaction, which holds the store's write lock, so the chain
// cannot fork. Editing a row breaks its own hash; deleting one leaves a seq gap; reordering or
// re-hashing breaks the next prev_hash link. Only a deleted TAIL is invisible to the chain alone:
// publish or record the head hash ("audit chain OK ... head H") to anchor it.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/canonical_json.h"
#include "core/result.h"
#include "data/store/database.h"

namespace suiji::store {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditEvent {
  std::int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string action;   // e.g. "entity.insert", "entity.update", "draw.commit"
  std::string subject;  // what it is about, e.g. "entities/91510100MA61234567"
  std::string payload;  // canonical JSON text
  std::string prev_hash;
  std::string hash;
  bool operator==(const AuditEvent&) const = default;
};

// An event before it has a place in the chain. payload must be canonical JSON text.
struct AuditDraft {
  std::string action;
  std::string subject;
  std::string payload;
};

// The canonical record text an event's hash is computed over (fast writer; the verifier recomputes
// it independently through nlohmann::json).
std::string AuditRecordText(const AuditEvent& e);

// The seq of the last event (0 for an empty log), read inside the caller's write transaction: the
// next AppendAudit numbers its drafts head+1, head+2, ... (the write lock keeps anyone else out).
Result<std::int64_t> AuditHeadSeq(Transaction& tx);

// Appends drafts in order, stamping them with the database clock; returns the chained events.
Result<std::vector<AuditEvent>> AppendAudit(Transaction& tx, std::string_view actor, std::vector<AuditDraft> drafts);
// One event with a JSON payload (canonicalised here).
Result<AuditEvent> AppendAuditEvent(Transaction& tx, std::string_view actor, std::string_view action,
                                    std::string_view subject, const Json& payload);

struct ChainReport {
  bool ok = true;
  std::int64_t events = 0;  // events checked (all of them when ok)
  std::string head;         // hash of the last event (kGenesisHash for an empty log)
  // When !ok, the FIRST broken link:
  std::int64_t seq = 0;     // where it breaks
  std::string problem;      // "gap" (deleted rows) | "edited" (content vs its hash) |
                            // "relinked" (prev_hash is not the previous hash: reordered/re-hashed)
  std::string expected, found;
  std::string message;      // one line for people
};

// Walks the whole chain in seq order, streaming in batches (constant memory).
Result<ChainReport> VerifyAuditChain(Database& db, std::int64_t batch = 10000);

// Events with seq > after_seq, ascending, at most limit.
Result<std::vector<AuditEvent>> ListAudit(Database& db, std::int64_t after_seq, std::int64_t limit);
// The last `limit` events, ascending.
Result<std::vector<AuditEvent>> TailAudit(Database& db, std::int64_t limit);
// Every event about `subject` (e.g. "draws/D-0123456789ab"), ascending (index audit_log_subject).
Result<std::vector<AuditEvent>> SubjectAudit(Database& db, const std::string& subject);

}  // namespace suiji::store
