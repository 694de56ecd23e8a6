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

// The `count` smallest of ids[begin, end) as candidates, sorted. A buffer of 2 * count: when it
// fills, nth_element keeps the best `count` and their largest key becomes a threshold that rejects
// most later entities with one comparison. Exact: keys equal to the threshold are kept, and the
// comparator falls back to the full ticket on equal keys. Working memory: 32 bytes per drawn entity.
std::vector<Candidate> SelectRange(const TicketHasher& hasher, std::span<const std::string> ids,
                                   std::size_t begin, std::size_t end, std::size_t count) {
  auto less = [&](const Candidate& a, const Candidate& b) {
    if (a.key != b.key) return a.key < b.key;  // inline: the fallback is almost never taken
    return hasher.Less(a.key, ids[a.index], b.key, ids[b.index]);
  };
  std::size_t n = end - begin;
  count = std::min(count, n);
  std::vector<Candidate> buf;
  if (count == 0) return buf;
  std::size_t capacity = std::min(n, 2 * count);
  buf.reserve(capacity);
  std::uint64_t threshold = ~std::uint64_t{0};
  constexpr std::size_t kChunk = 256;  // keys computed a chunk at a time stay in L1
  std::uint64_t keys[kChunk];
  for (std::size_t chunk = begin; chunk < end; chunk += kChunk) {
    std::size_t m = std::min(kChunk, end - chunk);
    hasher.Keys(ids.subspan(chunk, m), keys);
    for (std::size_t j = 0; j < m; ++j) {
      if (keys[j] > threshold) continue;
      buf.push_back(Candidate{keys[j], static_cast<std::uint32_t>(chunk + j)});
      if (buf.size() == capacity && capacity > count) {
        std::nth_element(buf.begin(), buf.begin() + (count - 1), buf.end(), less);
        buf.resize(count);
        threshold = std::max_element(buf.begin(), buf.end(), [](const Candidate& a, const Candidate& b) {
                      return a.key < b.key;
                    })->key;
      }
    }
  }
  if (buf.size() > count) {
    std::nth_element(buf.begin(), buf.begin() + (count - 1), buf.end(), less);
    buf.resize(count);
  }
  std::sort(buf.begin(), buf.end(), less);
  return buf;
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
    if (a.key != b.key) return a.key < b.key;  // inline: the fallback is almost never taken
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
