// The draw and pairing lifecycle over the store: the use cases every adapter (CLI, REST) calls.
//
//   CommitDraw   plan file + register as of a date -> frozen Population -> commitment C1, stored and
//                audited; refuses a second live draw of the same plan unless a re-draw reason is given
//                (the old draw is then superseded, never deleted, and both events are in the log).
//   RevealDraw   entropy E1 -> the draw; refused when the draw is not 'committed' (a second reveal) or
//                when the register no longer gives the committed population (it changed after commit).
//   Substitute   a drawn entity found outside the plan's legal scope -> the next reserve entity.
//   CommitPairing / RevealPairing: the second stage over the selected entities and the officer roster;
//                every attempt is stored and audited; infeasible and tie are recorded outcomes.
//   BuildBundle  everything `suiji verify` needs, from the stored inputs and the audit log.
// Outputs are always recomputed from stored inputs by the pure sampler.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/region.h"
#include "core/result.h"
#include "data/store/database.h"
#include "data/store/draw_store.h"
#include "rules/plan.h"
#include "sampler/bundle.h"
#include "sampler/draw.h"
#include "sampler/pairing.h"

namespace suiji::app {

struct CommitDrawOptions {
  std::string plan_path;          // label for errors
  std::string plan_text;          // the YAML
  Date as_of;                     // classification and inspection history as of this date
  std::int64_t reserve = -1;      // reserve tickets per stratum; -1 = max(5, quota / 5)
  std::string redraw_reason;      // required when the plan already has a live draw
  std::string actor = "cli";
};

struct CommittedDraw {
  store::DrawRecord record;
  sampler::DrawSpec spec;
  std::optional<std::string> superseded;  // the draw this one replaced
};

Result<CommittedDraw> CommitDraw(store::Database& db, const RegionTable& regions, const CommitDrawOptions& o);

struct RevealedDraw {
  store::DrawRecord record;
  sampler::DrawSpec spec;
  sampler::EntityDraw draw;  // with every stored substitution applied
};

Result<RevealedDraw> RevealDraw(store::Database& db, const RegionTable& regions, const std::string& draw_id,
                                const std::string& entropy, const std::string& actor, unsigned threads = 1);
// A stored draw, recomputed (must be revealed).
Result<RevealedDraw> LoadRevealedDraw(store::Database& db, const std::string& draw_id, unsigned threads = 1);
Result<RevealedDraw> Substitute(store::Database& db, const std::string& draw_id, const std::string& stratum,
                                const std::string& entity_id, const std::string& reason, const std::string& actor);

struct CommittedPairing {
  store::PairingRecord record;
  sampler::PairSpec spec;
};
Result<CommittedPairing> CommitPairing(store::Database& db, const std::string& draw_id, const std::string& actor);

struct RevealedPairing {
  store::PairingRecord record;
  sampler::PairSpec spec;
  sampler::Pairing pairing;
};
Result<RevealedPairing> RevealPairing(store::Database& db, const std::string& pairing_id, const std::string& entropy,
                                      const std::string& actor);
Result<RevealedPairing> LoadRevealedPairing(store::Database& db, const std::string& pairing_id);

// The draw plus its latest revealed pairing whose status is ok (if any).
// 回避申请: the entity asks that officer `cert_no` not inspect it; every later pairing honours it.
// Stored with an audit event (recusal.request). Errors: recusal.entity (empty id), recusal.officer
// (empty certificate), recusal.reason (no reason).
Status RequestRecusal(store::Database& db, const std::string& entity_id, const std::string& cert_no,
                      const std::string& reason, const std::string& actor);

// The org unit a draw belongs to: its plan's org_unit (what REST scopes draws by).
Result<std::string> DrawOrgUnit(const store::DrawRecord& record);

// With the draw's audit events (and its bundled pairing's) and the chain head at export: the bundle is
// bound to the audit chain (sampler/bundle_audit.h).
Result<sampler::Bundle> BuildBundle(store::Database& db, const std::string& draw_id, unsigned threads = 1);
// The draw stage's audit events (subject draws/<id>), ascending, and the draw head over them: what the
// public draw answer and the daily bulk manifest publish for `suiji verify --head`.
Result<std::vector<sampler::ChainEvent>> DrawEvents(store::Database& db, const std::string& draw_id);
Result<sampler::DrawHead> DrawAuditHead(store::Database& db, const std::string& draw_id);

// Officers appear in public outputs under a stable pseudonym: "O-" + 12 hex of
// SHA-256(secret + "|" + cert_no), where the secret is per database (settings table), created on first use.
Result<std::string> PseudonymSecret(store::Database& db);
std::string OfficerPseudonym(const std::string& secret, const std::string& cert_no);

}  // namespace suiji::app
