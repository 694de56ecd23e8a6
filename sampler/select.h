// Selection by tickets: the `count` smallest tickets of a set of ids, in ticket order.
// Pure and exact: the result is a function of the set of ids (not of their order, nor of how the
// set is split into shards), because (ticket, id) is a total order. Shards can be selected
// separately and merged with MergeSelections; the result equals selecting from the union.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace suiji::sampler {

struct TicketedId {
  std::string id;
  std::string ticket;  // "0.<digits>"
  bool operator==(const TicketedId&) const = default;
};

// The min(count, ids.size()) smallest (ticket, id) pairs under `seed_hash`, smallest first.
// `threads` >= 1 splits the ids across that many threads. Ids should be unique (duplicates would
// each be ranked; the commitment forbids them).
std::vector<TicketedId> SelectSmallest(std::string_view seed_hash, std::span<const std::string> ids,
                                       std::size_t count, unsigned threads = 1);

// Merges per-shard selections (each sorted, each computed with the same seed_hash) into the
// `count` smallest overall.
std::vector<TicketedId> MergeSelections(const std::vector<std::vector<TicketedId>>& shards,
                                        std::size_t count);

}  // namespace suiji::sampler
