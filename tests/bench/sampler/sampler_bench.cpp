// Ticket selection against the cost of one SHA-256 compression per entity, and officer pairing.
// Run: build-*/tests/bench/sampler/sampler_bench   (figures in docs/performance.md)
#include <benchmark/benchmark.h>

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <cstring>

#include "sampler/pairing.h"
#include "sampler/select.h"
#include "sampler/ticket.h"

namespace {

using namespace suiji::sampler;

constexpr std::size_t kEntities = 10'000'000;

const std::vector<std::string>& Ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> v;
    v.reserve(kEntities);
    for (std::size_t i = 0; i < kEntities; ++i) v.push_back("91440300MA" + std::to_string(10000000 + i));  // 18 bytes
    return v;
  }();
  return ids;
}

// The baseline: one SHA-256 compression per entity (the final block of seed_hash + id), nothing else.
void BM_OneCompressionPerEntity(benchmark::State& state) {
  const auto& ids = Ids();
  SHA256_CTX base;
  SHA256_Init(&base);
  std::string sh = SeedHash("bench");
  SHA256_Update(&base, sh.data(), 64);
  unsigned char block[64] = {0};
  std::uint32_t sink = 0;
  for (auto _ : state) {
    for (const auto& id : ids) {
      std::memcpy(block, id.data(), id.size());
      SHA256_CTX c;
      std::memcpy(c.h, base.h, sizeof c.h);
      SHA256_Transform(&c, block);
      sink ^= c.h[7];
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * ids.size());
}
BENCHMARK(BM_OneCompressionPerEntity)->Unit(benchmark::kMillisecond)->Iterations(3);

// One Key call per entity: the compression plus the exact 16-digit sort key, computed right after it.
void BM_HashAndKey(benchmark::State& state) {
  const auto& ids = Ids();
  TicketHasher hasher(SeedHash("bench"));
  std::uint64_t sink = 0;
  for (auto _ : state)
    for (const auto& id : ids) sink ^= hasher.Key(id);
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * ids.size());
}
BENCHMARK(BM_HashAndKey)->Unit(benchmark::kMillisecond)->Iterations(3);

// The hot path of a draw: keys a chunk of 256 ids at a time through TicketHasher::Keys, which
// computes each key while the next compression runs.
void BM_HashAndKeyBatch(benchmark::State& state) {
  const auto& ids = Ids();
  TicketHasher hasher(SeedHash("bench"));
  std::uint64_t sink = 0, keys[256];
  for (auto _ : state)
    for (std::size_t c = 0; c < ids.size(); c += 256) {
      std::size_t m = std::min<std::size_t>(256, ids.size() - c);
      hasher.Keys(std::span<const std::string>(ids).subspan(c, m), keys);
      for (std::size_t j = 0; j < m; ++j) sink ^= keys[j];
    }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * ids.size());
}
BENCHMARK(BM_HashAndKeyBatch)->Unit(benchmark::kMillisecond)->Iterations(3);

// Drawing k + 20 reserve from 10^7 entities (one stratum), by threads: Args({threads, k}).
void BM_SelectSmallest(benchmark::State& state) {
  const auto& ids = Ids();
  std::string sh = SeedHash("bench");
  std::size_t count = static_cast<std::size_t>(state.range(1)) + 20;
  for (auto _ : state) {
    auto r = SelectSmallest(sh, ids, count, static_cast<unsigned>(state.range(0)));
    benchmark::DoNotOptimize(r.data());
  }
  state.SetItemsProcessed(state.iterations() * ids.size());
  state.counters["selection_bytes_per_entity"] = static_cast<double>(count * 16 * state.range(0)) / kEntities;
}
BENCHMARK(BM_SelectSmallest)->Args({1, 1000})->Args({2, 1000})->Args({1, 300000})->Args({2, 300000})->Unit(benchmark::kMillisecond)->Iterations(3)->MeasureProcessCPUTime()->UseRealTime();

// A 100% quota takes the array path: 16 bytes of working memory per entity.
void BM_SelectAll(benchmark::State& state) {
  const auto& ids = Ids();
  std::vector<std::string> sub(ids.begin(), ids.begin() + 1'000'000);
  std::string sh = SeedHash("bench");
  for (auto _ : state) {
    auto r = SelectSmallest(sh, sub, sub.size() / 2, 1);
    benchmark::DoNotOptimize(r.data());
  }
  state.SetItemsProcessed(state.iterations() * sub.size());
}
BENCHMARK(BM_SelectAll)->Unit(benchmark::kMillisecond)->Iterations(3);

// tasks x officers, teams of 2 SAMR officers, `places` city jurisdictions, 5% recusals.
PairSpec PairingSpec(int tasks, int officers, int places) {
  PairSpec spec;
  spec.draw_commitment = SeedHash("draw");
  spec.departments = {{"SAMR", 2}};
  spec.cap = (2 * tasks + officers - 1) / officers * 3 / 2 + 1;
  auto city = [](int p) { return std::to_string(110000 + (p / 90) * 10000 + (p % 90 + 1) * 100); };
  for (int o = 0; o < officers; ++o)
    spec.officers.push_back({"P" + std::to_string(o), "SAMR", "active", {city(o % places)}, {"FOOD"}, {}});
  int per_place = officers / places;
  for (int t = 0; t < tasks; ++t) {
    int p = t % places;
    PairTask task{"91" + std::to_string(1000000000000000LL + t), city(p).substr(0, 4) + "0" + std::to_string(1 + t % 9),
                  {{"SAMR", "FOOD"}}, {}, {}};
    for (int r = 0; r < per_place / 20; ++r)  // 5% of the officers of its jurisdiction
      task.requested_recusals.push_back("P" + std::to_string(p + places * ((t + 7 * r) % per_place)));
    spec.tasks.push_back(std::move(task));
  }
  return spec;
}

void BM_Pairing(benchmark::State& state) {
  auto spec = PairingSpec(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), static_cast<int>(state.range(2)));
  auto c = CommitPairing(spec).value();
  std::string status;
  for (auto _ : state) {
    auto p = RevealPairing(spec, c.digest, "12345678901234567890");
    status = p.value().status;
  }
  if (status != "ok") state.SkipWithError(("status " + status).c_str());
  state.counters["arcs"] = static_cast<double>(state.range(0)) * (static_cast<double>(state.range(1)) / state.range(2)) * 0.95;
}
BENCHMARK(BM_Pairing)->Args({10000, 1000, 10})->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Pairing)->Args({100000, 10000, 200})->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
