// Scoring the whole register (ScoreAll) against one pass of memory traffic over the same matrix.
// Rows: $SUIJI_CREDIT_BENCH_ROWS (default 10,000,000) x the 16 indicators of the example model
// (data/examples/credit/model.yaml: 3 log1p, 4 minmax caps, 2 years/linear, 4 imputed columns).
//   BM_SumValues        Eigen sum over the values matrix: the memory-traffic baseline.
//   BM_SumValuesTwoThreads the same sum split over two threads (baseline for 2-thread scoring).
//   BM_SumValuesAndMask the values plus the missing mask, which ScoreAll also reads.
//   BM_ScoreAll         scores + classes, per vector path (auto = widest; sse2, avx2, avx512 forced) and
//                       thread count; counters: ratio to the best single-threaded BM_SumValues pass
//                       measured right after it in the same run, and the process's peak resident memory.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "credit/score.h"

namespace suiji::credit {
namespace {

Eigen::Index Rows() {
  const char* env = std::getenv("SUIJI_CREDIT_BENCH_ROWS");
  return env ? std::atoll(env) : 10'000'000;
}

const rules::CreditModel& Model() {
  static const rules::CreditModel m = [] {
    auto r = rules::LoadCreditModel(SUIJI_SOURCE_DIR "/data/examples/credit/model.yaml");
    if (!r.ok()) { std::cerr << r.error().message << "\n"; std::exit(1); }
    return r.value();
  }();
  return m;
}

// Plausible values: small counts, amounts in yuan, ages in days; 10% missing where imputable.
const IndicatorMatrix& Matrix() {
  static const IndicatorMatrix m = [] {
    IndicatorMatrix x;
    const Eigen::Index n = Rows();
    x.as_of = ParseDate("2024-06-30").value();
    x.names = Model().IndicatorNames();
    x.entity_ids.resize(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) x.entity_ids[static_cast<std::size_t>(i)] = "E" + std::to_string(i);
    const auto k = static_cast<Eigen::Index>(x.names.size());
    x.values.resize(n, k);
    x.missing = MissingMask::Zero(n, k);
    std::uint64_t s = 0x9E3779B97F4A7C15ull;
    for (Eigen::Index j = 0; j < k; ++j) {
      const bool imputable = Model().indicators[static_cast<std::size_t>(j)].impute.has_value();
      const std::string& name = x.names[static_cast<std::size_t>(j)];
      const double scale = name == "penalty_amount_3y" ? 50000 : name == "registration_age_days" ? 7000
                           : name.find("rate") != std::string::npos ? 0.0001 : 0.001;
      for (Eigen::Index i = 0; i < n; ++i) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;  // xorshift64
        const std::uint32_t r = static_cast<std::uint32_t>(s >> 32);
        if (imputable && r % 10 == 0) { x.missing(i, j) = 1; x.values(i, j) = 0; continue; }
        x.values(i, j) = static_cast<double>(r % 10000 < 8000 ? 0 : r % 5000) * scale;
      }
    }
    return x;
  }();
  return m;
}

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // kB on Linux
}

double BestSumSeconds(int passes) {
  double best = 1e30;
  for (int p = 0; p < passes; ++p) {
    auto t0 = std::chrono::steady_clock::now();
    double s = Matrix().values.sum();
    benchmark::DoNotOptimize(s);
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

void BM_SumValues(benchmark::State& state) {
  const auto& m = Matrix();
  for (auto _ : state) benchmark::DoNotOptimize(m.values.sum());
  state.SetBytesProcessed(state.iterations() * m.values.size() * 8);
}
BENCHMARK(BM_SumValues)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same pass on both halves of the values at once, one thread each: the memory-traffic baseline
// for the 2-thread ScoreAll (whether one core already saturates memory is machine-dependent).
void BM_SumValuesTwoThreads(benchmark::State& state) {
  const auto& m = Matrix();
  const Eigen::Index n = m.values.size(), half = n / 2;
  for (auto _ : state) {
    double a = 0, b = 0;
    std::thread t([&] { a = Eigen::Map<const Eigen::VectorXd>(m.values.data(), half).sum(); });
    b = Eigen::Map<const Eigen::VectorXd>(m.values.data() + half, n - half).sum();
    t.join();
    benchmark::DoNotOptimize(a + b);
  }
  state.SetBytesProcessed(state.iterations() * n * 8);
}
BENCHMARK(BM_SumValuesTwoThreads)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SumValuesAndMask(benchmark::State& state) {
  const auto& m = Matrix();
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.values.sum());
    benchmark::DoNotOptimize(m.missing.cast<int>().sum());
  }
  state.SetBytesProcessed(state.iterations() * m.values.size() * 9);
}
BENCHMARK(BM_SumValuesAndMask)->Unit(benchmark::kMillisecond)->UseRealTime();

// Args: vector path (0 auto, 1 sse2, 2 avx2, 3 avx512), threads (0 = ScoreAll's default).
void BM_ScoreAll(benchmark::State& state) {
  const auto& model = Model();
  const auto& m = Matrix();
  const ScoreOptions options{static_cast<int>(state.range(1)), static_cast<VectorPath>(state.range(0))};
  if (!VectorPathSupported(options.path)) { state.SkipWithError("vector path not supported by this CPU"); return; }
  state.SetLabel(std::string(VectorPathName(ResolveVectorPath(options.path))) + " threads=" +
                 std::to_string(options.threads));
  double total = 0;
  std::int64_t d = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto s = ScoreAll(model, m, options);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!s.ok()) { state.SkipWithError(s.error().message.c_str()); return; }
    d = s->class_counts[3];
    benchmark::DoNotOptimize(s->scores.data());
  }
  const double sum_s = BestSumSeconds(3);
  state.counters["ratio_to_sum"] = (total / static_cast<double>(state.iterations())) / sum_s;
  state.counters["sum_ms"] = sum_s * 1e3;
  state.counters["peak_rss_MB"] = PeakRssMb();
  state.counters["rows"] = static_cast<double>(m.values.rows());
  state.counters["class_D"] = static_cast<double>(d);
  state.SetBytesProcessed(state.iterations() * m.values.size() * 8);
}
BENCHMARK(BM_ScoreAll)
    ->ArgNames({"path", "threads"})
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({3, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace suiji::credit
