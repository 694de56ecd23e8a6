// DrawStore: the lifecycle rows of draws and pairings (tables from 0002_draws.sql).
//
// Contract: the store holds each stage's inputs only — commitment document, entropy,
// substitutions — and the state machine: committed -> revealed, or committed|revealed -> superseded.
// Outputs are recomputed by the pure sampler. State changes are conditional UPDATEs (WHERE state =
// expected) inside the caller's Transaction, so a second reveal of the same commitment fails even
// when two processes race. Nothing is deleted. Audit events are the caller's job (it knows why).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "data/store/database.h"

namespace suiji::store {

struct DrawRecord {
  std::string draw_id;
  std::string plan_id;
  std::string plan_digest;
  std::string plan_text;          // the plan file as committed
  std::string commitment;         // canonical JSON document (sampler::CommitDraw)
  std::string commitment_digest;  // C1
  std::string state;              // committed | revealed | superseded
  std::string entropy;
  std::string seed_hash;
  std::string committed_at;
  std::string revealed_at;
  std::string supersedes;         // the draw this one replaces, if any
  std::string reason;             // why it replaces it
};

struct SubstitutionRecord {
  std::string draw_id;
  std::int64_t seq = 0;
  std::string stratum, out_id, in_id, reason, at;
};

struct PairingRecord {
  std::string pairing_id;
  std::string draw_id;
  std::int64_t attempt = 0;
  std::string commitment;         // canonical JSON document (sampler::CommitPairing)
  std::string commitment_digest;  // C2
  std::string state;              // committed | revealed
  std::string entropy;
  std::string seed_hash;
  std::string status;             // after reveal: ok | infeasible | tie
  std::string committed_at;
  std::string revealed_at;
};

struct RecusalRequest {
  std::string entity_id, cert_no, reason, requested_on;
};

class DrawStore {
 public:
  explicit DrawStore(Database& db) : db_(db) {}

  Status InsertDraw(Transaction& tx, const DrawRecord& d);
  Result<std::optional<DrawRecord>> GetDraw(const std::string& draw_id);
  // The draws of a plan that are not superseded (at most one in normal use), newest first.
  Result<std::vector<DrawRecord>> ActiveDraws(const std::string& plan_id);
  Result<std::vector<DrawRecord>> ListDraws();
  // Errors "draw.state" when the draw is not in state `from` (e.g. a second reveal).
  Status MarkRevealed(Transaction& tx, const std::string& draw_id, const std::string& entropy,
                      const std::string& seed_hash, const std::string& at);
  Status MarkSuperseded(Transaction& tx, const std::string& draw_id);

  Status InsertSubstitution(Transaction& tx, const SubstitutionRecord& s);  // seq assigned: next
  Result<std::vector<SubstitutionRecord>> Substitutions(const std::string& draw_id);

  Status InsertPairing(Transaction& tx, const PairingRecord& p);
  Result<std::optional<PairingRecord>> GetPairing(const std::string& pairing_id);
  Result<std::vector<PairingRecord>> Pairings(const std::string& draw_id);  // by attempt
  Status MarkPairingRevealed(Transaction& tx, const std::string& pairing_id, const std::string& entropy,
                             const std::string& seed_hash, const std::string& status, const std::string& at);

  Status PutRecusal(Transaction& tx, const RecusalRequest& r);
  Result<std::vector<RecusalRequest>> Recusals();

  // Settings: small named values (e.g. the pseudonym secret).
  Result<std::optional<std::string>> GetSetting(const std::string& name);
  Status PutSetting(Transaction& tx, const std::string& name, const std::string& value);

 private:
  Database& db_;
};

}  // namespace suiji::store
