// Latency of one batchFlags call with 10,000 codes, over TCP loopback (client and server in this
// process, TFramedTransport + TBinaryProtocol), against the in-memory backend holding 100,000 entities.
//   BM_BatchFlags10k/10   one code in 10 has flags (2 in force each), the rest none - a realistic mix
//   BM_BatchFlags10k/1    every code has 2 flags in force - the largest answer (about 3.5 MB)
//   BM_BatchFlags10kHandler/10  the same call on the handler directly: validation + backend, no wire
// Each repetition is one call; median and p95 are over the repetitions.
#include <benchmark/benchmark.h>

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TSocket.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "api/thrift/server.h"
#include "tests/integration/thrift/fixture.h"

namespace {

using namespace suiji::rpc;
namespace gen = suiji::thriftgen;
constexpr int kEntities = 100000;
constexpr int kBatch = 10000;

// SUIJI_THRIFT_BENCH_PORT=N: call a server already running on 127.0.0.1:N (e.g.
// `suiji_thrift_test_server --many 100000`) instead of one in this process.
struct World {
  std::shared_ptr<InMemoryCreditBackend> backend = std::make_shared<InMemoryCreditBackend>();
  std::shared_ptr<InMemoryTokenStore> tokens = std::make_shared<InMemoryTokenStore>();
  std::unique_ptr<ThriftServer> server;
  int port = 0;
  World() {
    testing::Seed(*backend, *tokens);
    testing::SeedMany(*backend, kEntities);
    if (const char* p = std::getenv("SUIJI_THRIFT_BENCH_PORT")) {
      port = std::atoi(p);
      return;
    }
    ServerOptions o;
    o.service.today = testing::FixtureToday;
    server = std::move(ThriftServer::Start(o, backend, tokens)).value();
    port = server->port();
  }
};

World& TheWorld() {
  static World w;
  return w;
}

// Codes i*stride for i < kBatch: stride 10 hits every flagged entity (SeedMany flags every 10th).
std::vector<std::string> Codes(int every) {
  int stride = every == 1 ? 10 : 1;
  std::vector<std::string> codes;
  for (int i = 0; i < kBatch; ++i) codes.push_back(testing::ManyCode(i * stride));
  return codes;
}

double P95(const std::vector<double>& v) {
  std::vector<double> s = v;
  std::sort(s.begin(), s.end());
  std::size_t k = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(s.size()))) - 1;
  return s[std::min(k, s.size() - 1)];
}

void BM_BatchFlags10k(benchmark::State& state) {
  World& w = TheWorld();
  auto codes = Codes(static_cast<int>(state.range(0)));
  auto socket = std::make_shared<apache::thrift::transport::TSocket>("127.0.0.1", w.port);
  auto transport = std::make_shared<apache::thrift::transport::TFramedTransport>(socket);
  gen::SuijiCreditClient client(std::make_shared<apache::thrift::protocol::TBinaryProtocol>(transport));
  transport->open();
  std::size_t flags = 0;
  for (auto _ : state) {
    std::vector<gen::EntityFlags> out;
    client.batchFlags(out, testing::kReaderToken, codes);
    flags = 0;
    for (const auto& e : out) flags += e.flags.size();
    benchmark::DoNotOptimize(out);
  }
  transport->close();
  state.counters["flags"] = static_cast<double>(flags);
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_BatchFlags10k)->Arg(10)->Arg(1)->Iterations(1)->Repetitions(50)->ComputeStatistics("p95", P95)
    ->ReportAggregatesOnly(true)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_BatchFlags10kHandler(benchmark::State& state) {
  World& w = TheWorld();
  auto codes = Codes(static_cast<int>(state.range(0)));
  ServiceOptions o;
  o.today = testing::FixtureToday;
  SuijiCreditHandler handler(w.backend, w.tokens, o);
  for (auto _ : state) {
    std::vector<gen::EntityFlags> out;
    handler.batchFlags(out, testing::kReaderToken, codes);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_BatchFlags10kHandler)->Arg(10)->Arg(1)->Iterations(1)->Repetitions(50)->ComputeStatistics("p95", P95)
    ->ReportAggregatesOnly(true)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
