// suiji serve: the SuijiCredit Thrift service over the database (DbCreditBackend + DbTokenStore).
//   suiji serve [--thrift-host 127.0.0.1] [--thrift-port 9090] [--db URL] [--for SECONDS] [--model FILE]
// Prints "thrift listening on HOST:PORT" (port 0 = an ephemeral port; the real one is printed) and
// serves until SIGINT/SIGTERM or until --for seconds have passed, then stops cleanly (exit 0).
// Clients are managed with `suiji client`; a revocation takes effect within --token-refresh-ms.
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <cerrno>

#include <iostream>

#include "api/app/rpc_backend.h"
#include "api/cli/command.h"
#include "api/cli/support.h"
#include "api/thrift/server.h"
#include "rules/credit_model.h"

namespace {

struct ServeArgs {
  std::string host = "127.0.0.1";
  int port = 9090;
  double for_seconds = 0;  // 0: until a signal
  int token_refresh_ms = 1000;
  int max_connections = 256;
  std::string model;
};

// Waits for SIGINT/SIGTERM (blocked in every thread, so only sigwait sees them) or the deadline.
int WaitForStop(const sigset_t& set, double seconds) {
  if (seconds <= 0) {
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
  }
  timespec ts{static_cast<time_t>(seconds), static_cast<long>((seconds - static_cast<time_t>(seconds)) * 1e9)};
  for (;;) {
    int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig >= 0) return sig;
    if (errno != EINTR) return 0;  // EAGAIN: the time is up
  }
}

}  // namespace

SUIJI_COMMAND(74) {
  auto* serve = app.add_subcommand("serve", "serve the SuijiCredit Thrift service from the database");
  auto args = std::make_shared<ServeArgs>();
  serve->add_option("--thrift-host", args->host, "address to listen on (default 127.0.0.1)");
  serve->add_option("--thrift-port", args->port, "port (default 9090; 0 = any free port)")->check(CLI::Range(0, 65535));
  serve->add_option("--for", args->for_seconds, "stop after this many seconds (default: until SIGINT/SIGTERM)")
      ->check(CLI::NonNegativeNumber);
  serve->add_option("--token-refresh-ms", args->token_refresh_ms,
                    "how often client tokens are reloaded, i.e. how fast a revocation bites (default 1000)")
      ->check(CLI::Range(0, 3600000));
  serve->add_option("--max-connections", args->max_connections, "concurrent connections (default 256)")
      ->check(CLI::Range(1, 100000));
  serve->add_option("--model", args->model, "credit model YAML: getClassification then explains stored scores");
  serve->callback([&globals, args] {
    // Block the stop signals before any thread starts, so every thread inherits the mask.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    suiji::cli::OpenDb(globals, "serve");  // refuses a database not at this schema version
    auto pool = suiji::cli::Must("serve", suiji::app::DbPool::Open(globals.db_url));
    suiji::app::DbBackendOptions options;
    if (!args->model.empty()) {
      auto model = suiji::cli::Must("serve", suiji::rules::LoadCreditModel(args->model));
      options.model = std::make_shared<const suiji::rules::CreditModel>(std::move(model));
    }
    auto log = [](std::string_view line) { std::cerr << "suiji serve: " << line << "\n"; };
    auto tokens = std::make_shared<suiji::app::DbTokenStore>(pool, std::chrono::milliseconds(args->token_refresh_ms), log);
    suiji::cli::Must("serve", tokens->Reload());
    auto backend = std::make_shared<suiji::app::DbCreditBackend>(pool, options);

    suiji::rpc::ServerOptions so;
    so.host = args->host;
    so.port = args->port;
    so.max_connections = args->max_connections;
    auto server = suiji::cli::Must("serve", suiji::rpc::ThriftServer::Start(so, backend, tokens));
    std::cout << "thrift listening on " << args->host << ":" << server->port() << std::endl;

    int sig = WaitForStop(set, args->for_seconds);
    server->Stop();
    std::cout << "thrift stopped (" << (sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "time is up") << ")"
              << std::endl;
  });
}
