// The entity draw: commit to the frozen population, reveal public entropy, select by tickets.
//
//   DrawSpec --CommitDraw--> Commitment {document (canonical JSON bytes), digest C = hex SHA-256}
//   (spec, C, E) --RevealDraw--> EntityDraw: per stratum the `quota` smallest tickets (drawn, in
//   ticket order) and the next min(reserve, N - quota) (the reserve list, in order).
//   SubstituteFromReserve replaces a drawn entity found outside the plan's legal scope by the next
//   unused reserve entity; each call is one audit event for the shell to log.
// All functions are pure; see docs/draw-protocol.md for the byte-exact specification.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/canonical_json.h"
#include "core/result.h"
#include "rules/population.h"
#include "sampler/entropy.h"
#include "sampler/select.h"

namespace suiji::sampler {

inline constexpr const char* kDrawProtocol = "suiji-draw/1";

// Everything the draw depends on, fixed before the entropy exists.
struct DrawSpec {
  std::string plan_id;
  std::string plan_digest;                    // lowercase hex SHA-256 of the plan (64 chars)
  rules::Population population;
  std::int64_t reserve = 0;                   // reserve tickets per stratum (capped at N - quota)
  EntropySource entropy_source;
  std::map<std::string, std::string> context; // labels the shell adds: draw id, org unit, time...
  bool operator==(const DrawSpec&) const = default;
};

struct Commitment {
  std::string document;  // canonical JSON; SHA-256 of exactly these bytes is the digest
  std::string digest;    // lowercase hex
};

// Checks the population contract: ids non-empty, sorted ascending and unique per stratum, in one
// stratum only, not excluded; quotas equal rules::Quota; exclusions sorted; digest shape.
Status ValidateDrawSpec(const DrawSpec& spec);
Json DrawSpecToJson(const DrawSpec& spec);
Result<Commitment> CommitDraw(const DrawSpec& spec);
// Parses a commitment document; refuses one that is not in canonical form or fails validation.
Result<DrawSpec> ParseDrawCommitment(const std::string& document);

struct Substitution {
  std::string out_id;   // drawn (or previously substituted-in) entity found outside legal scope
  std::string in_id;    // the next unused reserve entity
  std::string reason;
  bool operator==(const Substitution&) const = default;
};

struct StratumDraw {
  std::string name;
  std::int64_t quota = 0;
  std::vector<TicketedId> drawn;     // quota smallest, ticket order
  std::vector<TicketedId> reserve;   // the next ones, ticket order
  std::vector<Substitution> substitutions;  // in the order applied
  bool operator==(const StratumDraw&) const = default;
};

struct EntityDraw {
  std::string commitment_digest;
  std::string entropy;
  std::string seed_hash;             // hex SHA-256(C + "|" + E)
  std::vector<StratumDraw> strata;   // plan order
  bool operator==(const EntityDraw&) const = default;
};

// Validates E against the committed source and that `commitment_digest` is the spec's digest.
Result<EntityDraw> RevealDraw(const DrawSpec& spec, const std::string& commitment_digest,
                              const std::string& entropy, unsigned threads = 1);

// The stratum's entities to inspect: drawn, with each substitution applied in place.
std::vector<std::string> Selected(const StratumDraw& stratum);

// Errors: substitution.stratum, substitution.not_selected, substitution.reserve_exhausted,
// substitution.reason (empty reason).
Result<EntityDraw> SubstituteFromReserve(const EntityDraw& draw, const std::string& stratum,
                                         const std::string& entity_id, const std::string& reason);

}  // namespace suiji::sampler
