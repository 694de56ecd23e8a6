#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "sampler/select.h"
#include "sampler/ticket.h"

namespace suiji::sampler {
namespace {

std::vector<std::string> Ids(int n, const std::string& prefix = "91350100MA") {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back(prefix + std::to_string(1000000 + i));
  return ids;
}

// The definition, literally: every ticket string, sorted by (ticket, id).
std::vector<TicketedId> BruteForce(const std::string& seed_hash, const std::vector<std::string>& ids, std::size_t k) {
  TicketHasher h(seed_hash);
  std::vector<TicketedId> all;
  for (const auto& id : ids) all.push_back({id, h.Ticket(id)});
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.ticket != b.ticket ? a.ticket < b.ticket : a.id < b.id;
  });
  all.resize(std::min(k, all.size()));
  return all;
}

TEST(Select, MatchesTheDefinitionForSmallAndLargeCounts) {
  auto ids = Ids(3000);
  std::string sh = SeedHash("definition");
  for (std::size_t k : {0u, 1u, 10u, 150u, 2500u, 3000u, 5000u})
    EXPECT_EQ(SelectSmallest(sh, ids, k), BruteForce(sh, ids, k)) << "k=" << k;
}

TEST(Select, IndependentOfRowOrderAndThreads) {
  auto ids = Ids(20000);
  std::string sh = SeedHash("order");
  auto expected = SelectSmallest(sh, ids, 40);
  std::mt19937 rng(1);
  std::shuffle(ids.begin(), ids.end(), rng);
  EXPECT_EQ(SelectSmallest(sh, ids, 40), expected);
  EXPECT_EQ(SelectSmallest(sh, ids, 40, 2), expected);
  EXPECT_EQ(SelectSmallest(sh, ids, 40, 3), expected);
  std::reverse(ids.begin(), ids.end());
  EXPECT_EQ(SelectSmallest(sh, ids, 40, 4), expected);
}

TEST(Select, ShardsMergeToTheSameDraw) {
  auto ids = Ids(9000);
  std::string sh = SeedHash("shards");
  const std::size_t k = 57;
  auto whole = SelectSmallest(sh, ids, k);
  // Split by a property unrelated to tickets (e.g. region shards), uneven sizes.
  std::vector<std::vector<std::string>> shards(4);
  for (std::size_t i = 0; i < ids.size(); ++i) shards[(i * i) % 7 % 4].push_back(ids[i]);
  std::vector<std::vector<TicketedId>> parts;
  for (const auto& s : shards) parts.push_back(SelectSmallest(sh, s, k));
  EXPECT_EQ(MergeSelections(parts, k), whole);
  // Filtering the whole stream to one shard gives that shard's own draw (consistency).
  auto big = SelectSmallest(sh, ids, ids.size());
  std::vector<TicketedId> filtered;
  for (const auto& t : big)
    if (std::find(shards[2].begin(), shards[2].end(), t.id) != shards[2].end()) filtered.push_back(t);
  filtered.resize(k);
  EXPECT_EQ(filtered, parts[2]);
}

TEST(Select, InclusionFrequencyIsUniform) {
  // 20 entities, 5 drawn, 4000 seeds: each entity should be drawn ~1000 times.
  const int n = 20, k = 5, seeds = 4000;
  auto ids = Ids(n, "E");
  std::vector<int> count(n, 0), first(n, 0);
  for (int s = 0; s < seeds; ++s) {
    auto pick = SelectSmallest(SeedHash("seed-" + std::to_string(s)), ids, k);
    ASSERT_EQ(pick.size(), static_cast<std::size_t>(k));
    for (const auto& t : pick) ++count[std::stoi(t.id.substr(1)) - 1000000];
    ++first[std::stoi(pick[0].id.substr(1)) - 1000000];
  }
  double expected = static_cast<double>(seeds) * k / n, chi2 = 0, chi2_first = 0, exp_first = double(seeds) / n;
  for (int i = 0; i < n; ++i) {
    chi2 += (count[i] - expected) * (count[i] - expected) / expected;
    chi2_first += (first[i] - exp_first) * (first[i] - exp_first) / exp_first;
  }
  // chi-square with 19 degrees of freedom: P(X > 43.82) = 0.001.
  EXPECT_LT(chi2, 43.82);
  EXPECT_LT(chi2_first, 43.82);
  EXPECT_GT(chi2, 0.0);  // a broken sampler that always draws the same entities would be huge, not zero
}

}  // namespace
}  // namespace suiji::sampler
