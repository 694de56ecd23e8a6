// A bundle bound to the audit chain (docs/draw-protocol.md section 6): the draw's own audit events in
// audit_events.jsonl, the draw head over them, and the checks `suiji verify` runs on them.
//
//   audit_events.jsonl  one event a line, ascending seq: the canonical JSON of
//                       {action, actor, at, hash, payload, prev_hash, seq, subject} (data/store/audit_log.h:
//                       hash = SHA-256 of the same object without "hash"). The draw stage's events
//                       (subject draws/<draw id>: draw.commit, draw.reveal, each draw.substitute, a final
//                       draw.supersede) and, in a bundle with the pairing, that pairing's two events
//                       (subject pairings/<pairing id>: pair.commit, pair.reveal).
//   draw head           h0 = 64 zeros, h_i = hex SHA-256(h_{i-1} + "|" + hash_i) over the draw stage's
//                       events in seq order: published per draw (public draw answer, bulk manifest) so
//                       `suiji verify --head H` sees a dropped, added or edited draw event.
// Pure but for reading the events file in VerifyBundleAudit.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/canonical_json.h"
#include "sampler/draw.h"
#include "sampler/pairing.h"

namespace suiji::sampler {

inline constexpr const char* kAuditEventsFile = "audit_events.jsonl";

// One audit-log event as a bundle carries it (the sampler cannot see data/store's AuditEvent).
struct ChainEvent {
  std::int64_t seq = 0;
  std::string at, actor, action, subject;
  std::string payload;  // canonical JSON text
  std::string prev_hash, hash;
  bool operator==(const ChainEvent&) const = default;
};

struct ChainLink {
  std::int64_t seq = 0;
  std::string hash;
  bool operator==(const ChainLink&) const = default;
};

struct BundleAudit {
  std::vector<ChainEvent> draw_events;     // subject draws/<draw id>, ascending seq
  std::vector<ChainEvent> pairing_events;  // subject pairings/<pairing id> of the bundled pairing
  ChainLink chain_head;                    // the whole audit chain's last event at export
};

// The draw head over the draw stage's events; `last` is the last of them (seq 0 / "" for none).
struct DrawHead {
  std::string head;
  std::int64_t events = 0;
  ChainLink last;
  bool operator==(const DrawHead&) const = default;
};
DrawHead ComputeDrawHead(const std::vector<ChainEvent>& draw_events);
// {"events", "hash", "head", "seq"}: how the head is published.
Json DrawHeadJson(const DrawHead& h);

// The events file's bytes: a line a event, draw and pairing events merged by seq.
Result<std::string> AuditEventLines(const BundleAudit& audit, bool with_pairing);
// bundle.json's "audit" member.
Json AuditIndexJson(const BundleAudit& audit);

// A substitution as bundle.json lists it (file order: by stratum in plan order, then as applied).
struct ListedSubstitution {
  std::string stratum;
  Substitution sub;
};

// What the verifier recomputed from the commitments and entropy, which the events must agree with.
struct AuditFacts {
  const DrawSpec* spec = nullptr;
  const EntityDraw* draw = nullptr;      // as revealed, before any substitution
  std::vector<ListedSubstitution> listed;
  const PairSpec* pair_spec = nullptr;   // null when the bundle has no pairing
  const Pairing* pairing = nullptr;
};

struct AuditCheck {
  std::string difference;              // "" when everything agrees
  std::vector<std::string> checked;    // what was recomputed
  std::vector<std::string> notes;      // e.g. "not bound to the audit chain"
};

// Checks the events (when the bundle has them) against `facts` and, when `head` is not empty, the
// recomputed draw head against it. A bundle without events is "not bound to the audit chain" (a note)
// and `head` on it is a difference. `index` is bundle.json.
AuditCheck VerifyBundleAudit(const std::filesystem::path& dir, const Json& index, const AuditFacts& facts,
                             const std::string& head);

}  // namespace suiji::sampler
