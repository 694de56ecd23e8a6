// Parse + validate throughput of generated entity registers, and peak memory (flat in file size).
//
//   build-import/tests/bench/import/import_bench --benchmark_counters_tabular=true
//
// The CSV files are generated once into $TMPDIR (suiji_bench_entities_<rows>.csv). Peak RSS is the
// kernel's VmHWM after the import, reset before it through /proc/self/clear_refs.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "data/gen/registers.h"
#include "data/import/encoding.h"
#include "data/import/importer.h"

namespace {

const suiji::RegionTable& Regions() {
  static const suiji::RegionTable t =
      suiji::RegionTable::LoadCsv(std::string(SUIJI_SOURCE_DIR) + "/data/reference/regions.csv").value();
  return t;
}

std::string TmpDir() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

std::string EntityFile(std::int64_t rows, bool gbk) {
  std::string path = TmpDir() + "/suiji_bench_entities_" + std::to_string(rows) + (gbk ? "_gbk" : "") + ".csv";
  if (std::filesystem::exists(path)) return path;
  suiji::gen::GenOptions o;
  o.seed = 1;
  o.entities = rows;
  std::ofstream out(path + ".tmp", std::ios::binary);
  if (!gbk) {
    (void)suiji::gen::GenerateEntities(o, Regions(), out);
  } else {
    std::ostringstream text;
    (void)suiji::gen::GenerateEntities(o, Regions(), text);
    out << suiji::import::Utf8ToGb18030(text.str()).value();
  }
  out.close();
  std::filesystem::rename(path + ".tmp", path);
  return path;
}

void ResetPeakRss() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

double PeakRssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

void Import(benchmark::State& state, bool gbk, bool dedup) {
  const std::int64_t rows = state.range(0);
  const std::string path = EntityFile(rows, gbk);
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(path));
  double peak = 0;
  std::int64_t valid = 0;
  for (auto _ : state) {
    ResetPeakRss();
    suiji::import::ImportOptions o;
    o.check_duplicates = dedup;
    auto imp = suiji::import::EntityImporter::Open(path, Regions(), o);
    if (!imp.ok()) {
      state.SkipWithError(imp.error().message.c_str());
      return;
    }
    std::vector<suiji::Entity> batch;
    while (imp.value().NextBatch(batch, 10000)) benchmark::DoNotOptimize(batch.data());
    valid = imp.value().report().rows_valid;
    peak = std::max(peak, PeakRssMb());
  }
  if (valid != rows) state.SkipWithError("not every generated row was valid");
  state.SetItemsProcessed(state.iterations() * rows);
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["peak_rss_MB"] = peak;
}

void BM_ImportEntities(benchmark::State& s) { Import(s, false, true); }
void BM_ImportEntitiesNoDedup(benchmark::State& s) { Import(s, false, false); }
void BM_ImportEntitiesGbk(benchmark::State& s) { Import(s, true, true); }

BENCHMARK(BM_ImportEntities)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK(BM_ImportEntitiesNoDedup)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK(BM_ImportEntitiesGbk)->Arg(100000)->Unit(benchmark::kMillisecond)->MinTime(2);

void BM_GenerateEntities(benchmark::State& state) {
  suiji::gen::GenOptions o;
  o.entities = state.range(0);
  for (auto _ : state) {
    std::ofstream out("/dev/null");
    benchmark::DoNotOptimize(suiji::gen::GenerateEntities(o, Regions(), out).ok());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GenerateEntities)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
