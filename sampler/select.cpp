#include "sampler/select.h"

#include <algorithm>
#include <thread>

#include "sampler/ticket.h"

namespace suiji::sampler {
namespace {

struct Candidate {
  std::uint64_t key;
  std::uint32_t index;  // into the shard's ids
};

// The `count` smallest of ids[begin, end) as candidates, sorted. A bounded max-heap when count is
// small against the range (no per-entity memory), else one array and nth_element.
std::vector<Candidate> SelectRange(const TicketHasher& hasher, std::span<const std::string> ids,
                                   std::size_t begin, std::size_t end, std::size_t count) {
  auto less = [&](const Candidate& a, const Candidate& b) {
    return hasher.Less(a.key, ids[a.index], b.key, ids[b.index]);
  };
  std::size_t n = end - begin;
  count = std::min(count, n);
  std::vector<Candidate> out;
  if (count == 0) return out;
  if (count * 16 <= n) {
    out.reserve(count);
    for (std::size_t i = begin; i < end; ++i) {
      Candidate c{hasher.Key(ids[i]), static_cast<std::uint32_t>(i)};
      if (out.size() < count) {
        out.push_back(c);
        std::push_heap(out.begin(), out.end(), less);
      } else if (c.key <= out.front().key && less(c, out.front())) {
        std::pop_heap(out.begin(), out.end(), less);
        out.back() = c;
        std::push_heap(out.begin(), out.end(), less);
      }
    }
  } else {
    out.reserve(n);
    for (std::size_t i = begin; i < end; ++i)
      out.push_back(Candidate{hasher.Key(ids[i]), static_cast<std::uint32_t>(i)});
    if (count < n) {
      std::nth_element(out.begin(), out.begin() + count, out.end(), less);
      out.resize(count);
    }
  }
  std::sort(out.begin(), out.end(), less);
  return out;
}

}  // namespace

std::vector<TicketedId> SelectSmallest(std::string_view seed_hash, std::span<const std::string> ids,
                                       std::size_t count, unsigned threads) {
  TicketHasher hasher(seed_hash);
  std::size_t n = ids.size();
  if (threads < 1) threads = 1;
  if (n < 4096 * threads) threads = 1;  // not worth a thread
  std::vector<std::vector<Candidate>> parts(threads);
  if (threads == 1) {
    parts[0] = SelectRange(hasher, ids, 0, n, count);
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      std::size_t b = n * t / threads, e = n * (t + 1) / threads;
      pool.emplace_back([&, t, b, e] { parts[t] = SelectRange(hasher, ids, b, e, count); });
    }
    for (auto& th : pool) th.join();
  }
  std::vector<Candidate> all;
  for (auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  auto less = [&](const Candidate& a, const Candidate& b) {
    return hasher.Less(a.key, ids[a.index], b.key, ids[b.index]);
  };
  std::sort(all.begin(), all.end(), less);
  if (all.size() > count) all.resize(count);
  std::vector<TicketedId> result;
  result.reserve(all.size());
  for (const auto& c : all) result.push_back(TicketedId{ids[c.index], hasher.Ticket(ids[c.index])});
  return result;
}

std::vector<TicketedId> MergeSelections(const std::vector<std::vector<TicketedId>>& shards,
                                        std::size_t count) {
  std::vector<TicketedId> all;
  for (const auto& s : shards) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end(), [](const TicketedId& a, const TicketedId& b) {
    return a.ticket != b.ticket ? a.ticket < b.ticket : a.id < b.id;
  });
  if (all.size() > count) all.resize(count);
  return all;
}

}  // namespace suiji::sampler
