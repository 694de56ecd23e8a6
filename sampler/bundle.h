// The draw bundle: a self-contained directory from which anyone can recompute both stages offline.
//
//   bundle.json            format, digests, entropy values, seed hashes, per-stratum counts,
//                          substitutions, pairing status / total cost / shortfalls
//   draw_commitment.json   the draw commitment document, byte for byte (SHA-256 = C1)
//   exclusions.csv         entity_id,rule,reason (the population exclusions, as committed)
//   tickets.csv            stratum,list,position,entity_id,ticket (list = drawn | reserve)
//   pair_commitment.json   the pairing commitment document, byte for byte (SHA-256 = C2)   [optional]
//   teams.csv              entity_id,department,officer,cost                               [optional]
//   pair_exclusions.csv    entity_id,officer,rule,reason                                   [optional]
//   audit_events.jsonl     the draw's (and the pairing's) audit events with their chain links [optional:
//                          older bundles have none, and are "not bound to the audit chain"]; see bundle_audit.h
// Officers appear only by their public pseudonyms. Schema: docs/bundle-schema.json.
//
// WriteBundle and VerifyBundle are the only functions here that touch files.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "sampler/bundle_audit.h"
#include "sampler/draw.h"
#include "sampler/pairing.h"

namespace suiji::sampler {

inline constexpr const char* kBundleFormat = "suiji-bundle/1";

struct Bundle {
  std::string draw_commitment;                  // document bytes
  EntityDraw draw;
  std::optional<std::string> pair_commitment;   // document bytes
  std::optional<Pairing> pairing;
  std::optional<BundleAudit> audit;              // the pairing's events are written only with the pairing
};

// The bundle's files (name, bytes), in the order above: what WriteBundle writes and the REST API
// serves as one tar archive.
Result<std::vector<std::pair<std::string, std::string>>> BundleFiles(const Bundle& bundle);
// Creates `dir` if needed and writes every file; existing bundle files are overwritten.
Status WriteBundle(const std::string& dir, const Bundle& bundle);

struct VerifyReport {
  bool match = false;
  std::string difference;             // the first difference, when !match
  std::vector<std::string> checked;   // what was recomputed, for the printout
  std::vector<std::string> notes;     // what a MATCH does not prove (no audit events, no --head)
};

// Recomputes the draw (and the pairing, if present) from the commitment documents and entropy
// alone, and compares every published value, the audit events included. With `head` (a published
// draw head), the events must give exactly that head. Never throws; unreadable input is a difference.
VerifyReport VerifyBundle(const std::string& dir, unsigned threads = 1, const std::string& head = "");

}  // namespace suiji::sampler
