// suiji_thrift_test_server: the SuijiCredit service over the test fixture, for clients in other
// languages (client_test.py). Prints one JSON line {"port": N, "codes": {...}, "tokens": {...}} on stdout
// once listening, serves until stdin closes or --timeout seconds pass, then stops cleanly (exit 0).
//
//   suiji_thrift_test_server [--port N] [--timeout SECONDS] [--max-batch N] [--many N]
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "api/thrift/server.h"
#include "core/canonical_json.h"
#include "tests/integration/thrift/fixture.h"

using namespace suiji::rpc;

namespace {

// Waits until stdin reaches end of file or the deadline passes.
void WaitForEofOrTimeout(int timeout_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  char buf[256];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    pollfd p{STDIN_FILENO, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (r < 0 && errno != EINTR) return;
    if (r > 0) {
      ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0) return;  // EOF (or a closed pipe)
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  ServerOptions options;
  int timeout_s = 120, many = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> long {
      if (i + 1 >= argc) {
        std::cerr << a << " needs a value\n";
        std::exit(2);
      }
      char* end = nullptr;
      long v = std::strtol(argv[++i], &end, 10);
      if (*end != '\0' || v < 0) {
        std::cerr << a << ": '" << argv[i] << "' is not a non-negative integer\n";
        std::exit(2);
      }
      return v;
    };
    if (a == "--port") options.port = static_cast<int>(next());
    else if (a == "--timeout") timeout_s = static_cast<int>(next());
    else if (a == "--max-batch") options.service.max_batch = static_cast<std::size_t>(next());
    else if (a == "--many") many = static_cast<int>(next());
    else {
      std::cerr << "usage: suiji_thrift_test_server [--port N] [--timeout S] [--max-batch N] [--many N]\n";
      return 2;
    }
  }
  options.service.today = testing::FixtureToday;

  auto backend = std::make_shared<InMemoryCreditBackend>();
  auto tokens = std::make_shared<InMemoryTokenStore>();
  testing::Seed(*backend, *tokens);
  if (many > 0) testing::SeedMany(*backend, many);

  auto server = ThriftServer::Start(options, backend, tokens);
  if (!server) {
    std::cerr << "suiji_thrift_test_server: " << server.error().message << "\n";
    return 1;
  }
  auto c = testing::Codes();
  suiji::Json out = {
      {"port", (*server)->port()},
      {"max_batch", options.service.max_batch},
      {"today", suiji::FormatDate(testing::FixtureToday())},
      {"codes",
       {{"listed", c.listed}, {"clean", c.clean}, {"serious", c.serious}, {"regno", c.regno}, {"legacy", c.legacy},
        {"unknown", c.unknown}}},
      {"tokens", {{"reader", testing::kReaderToken}, {"analyst", testing::kAnalystToken}, {"pusher", testing::kTaxToken}}},
  };
  if (many > 0) out["many_first"] = testing::ManyCode(0);
  std::cout << out.dump(-1, ' ', false) << std::endl;

  WaitForEofOrTimeout(timeout_s);
  (*server)->Stop();
  std::cerr << "suiji_thrift_test_server: stopped\n";
  return 0;
}
