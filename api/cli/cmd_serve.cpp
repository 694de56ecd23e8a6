// suiji serve: the SuijiCredit Thrift service and the REST API over the database.
//   suiji serve [--thrift-host 127.0.0.1] [--thrift-port 9090|off] [--http-host 127.0.0.1]
//               [--http-port PORT|off] [--http-threads N] [--max-body BYTES] [--drain-s S] [--trusted-proxy IP]...
//               [--db URL] [--for SECONDS] [--model FILE] [--web on|off] [--web-dir DIR] [--db-timeout-ms MS]
// With HTTP on, the public web page (web/, embedded at build time) is served at "/" unless --web off;
// --web-dir DIR serves it from a directory instead (development).
// Prints "thrift listening on HOST:PORT" and "http listening on HOST:PORT" (port 0 = an ephemeral port;
// the real one is printed) and serves until SIGINT/SIGTERM or until --for seconds have passed, then
// stops cleanly: HTTP requests in flight finish (at most --drain-s), exit 0.
// Clients are managed with `suiji client`; a revocation takes effect within --token-refresh-ms.
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <cerrno>

#include <algorithm>
#include <iostream>

#include <yaml-cpp/yaml.h>
#include <mutex>
#include <thread>

#include "api/app/rpc_backend.h"
#include "api/cli/command.h"
#include "api/app/bulk.h"
#include "api/app/results.h"
#include "api/cli/support.h"
#include "api/app/roles.h"
#include "api/rest/handlers.h"
#include "core/version.h"
#include "api/rest/client_address.h"
#include "api/rest/log_sink.h"
#include "api/rest/server.h"
#include "api/rest/static.h"
#include "api/thrift/server.h"
#include "rules/credit_model.h"

namespace {

struct ServeArgs {
  std::string host = "127.0.0.1";
  std::string port = "9090";  // or "off"
  std::string http_host = "127.0.0.1";
  std::string http_port = "off";
  int http_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::size_t max_body = 8u << 20;
  std::vector<std::string> trusted_proxies;  // whose X-Forwarded-For is believed (api/rest/client_address.h)
  std::string evidence_dir;
  long public_rate = 50;
  std::string bulk_dir, public_db;
  double drain_s = 10;
  int http_cache_ms = 1000;
  double for_seconds = 0;  // 0: until a signal
  int token_refresh_ms = 1000;
  int max_connections = 256;
  // PostgreSQL statement_timeout of the server's connections; 0 = none. Well under the HTTP keep-alive
  // timeout (5 s): Pistache 0.0.5 aborts the process when a worker is blocked past a keep-alive timer of
  // one of its connections (docs/operations.md, "Faults under load").
  int db_timeout_ms = 2000;
  std::string model;
  std::string web = "on";  // the public web page at "/"
  std::string web_dir;     // from this directory instead of the embedded files
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

// `suiji serve --config FILE`: a YAML mapping of option names to values (`http-port: 8080`,
// `http-host: 0.0.0.0`, `token-refresh-ms: 500`). Precedence: command-line flags, then SUIJI_*
// environment variables, then the file, then defaults. An unknown name is an error, never ignored.
void ApplyConfig(CLI::App* serve, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const std::exception& e) {
    suiji::cli::Fail("serve", "--config " + file + ": " + e.what());
  }
  if (root.IsNull()) return;
  if (!root.IsMap()) suiji::cli::Fail("serve", "--config " + file + ": must be a mapping of option names to values");
  for (const auto& kv : root) {
    const std::string name = kv.first.as<std::string>();
    CLI::Option* opt = name == "config" || name == "list-routes" ? nullptr : serve->get_option_no_throw("--" + name);
    if (!opt) suiji::cli::Fail("serve", "--config " + file + ": '" + name + "' is not an option of suiji serve");
    if (!kv.second.IsScalar()) suiji::cli::Fail("serve", "--config " + file + ": " + name + " must be a single value");
    if (opt->count() > 0) continue;  // given on the command line or in the environment
    try {
      opt->add_result(kv.second.as<std::string>());
      opt->run_callback();
    } catch (const CLI::Error& e) {
      suiji::cli::Fail("serve", "--config " + file + ": " + name + ": " + e.what());
    }
  }
}

}  // namespace

SUIJI_COMMAND(74) {
  auto* serve = app.add_subcommand("serve", "serve the SuijiCredit Thrift service from the database");
  auto args = std::make_shared<ServeArgs>();
  serve->add_option("--thrift-host", args->host, "address to listen on (default 127.0.0.1)")
      ->envname("SUIJI_THRIFT_HOST");
  auto port_or_off = CLI::Validator(
      [](std::string& v) {
        if (v == "off") return std::string();
        return CLI::Range(0, 65535)(v);
      },
      "PORT|off");
  serve->add_option("--thrift-port", args->port, "Thrift port (default 9090; 0 = any free port; off)")->check(port_or_off)
      ->envname("SUIJI_THRIFT_PORT");
  serve->add_option("--http-host", args->http_host, "REST API address (default 127.0.0.1)")
      ->envname("SUIJI_HTTP_HOST");
  serve->add_option("--http-port", args->http_port, "REST API port (default off; 0 = any free port)")->check(port_or_off)
      ->envname("SUIJI_HTTP_PORT");
  serve->add_option("--http-threads", args->http_threads, "REST worker threads (default: the core count)")
      ->check(CLI::Range(1, 256))
      ->envname("SUIJI_HTTP_THREADS");
  serve->add_option("--max-body", args->max_body, "largest request body in bytes (default 8 MiB)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 31))
      ->envname("SUIJI_MAX_BODY");
  serve->add_option("--trusted-proxy", args->trusted_proxies,
                    "IP address of a reverse proxy in front of the REST API; from it, X-Forwarded-For names the client "
                    "for rate limits and the log (repeatable or comma-separated; default none: the TCP peer)")
      ->delimiter(',')
      ->check(CLI::Validator(
          [](std::string& v) {
            return suiji::rest::CanonicalAddress(v) ? std::string()
                                                    : "'" + v + "' is not an IP address (no names or ranges)";
          },
          "IP"))
      ->envname("SUIJI_TRUSTED_PROXIES");
  serve->add_option("--http-cache-ms", args->http_cache_ms,
                    "how long other processes' changes may take to show in read answers (default 1000; 0 = no cache)")
      ->check(CLI::Range(0, 60000))
      ->envname("SUIJI_HTTP_CACHE_MS");
  serve->add_option("--evidence-dir", args->evidence_dir,
                    "where uploaded evidence files are kept, by SHA-256 (default: beside a SQLite file, else ./evidence)")
      ->envname("SUIJI_EVIDENCE_DIR");
  serve->add_option("--public-db", args->public_db,
                    "database URL the anonymous public routes read (e.g. a PostgreSQL hot standby; default --db)")
      ->envname("SUIJI_PUBLIC_DB");
  serve->add_option("--bulk-dir", args->bulk_dir,
                    "the public record's daily files, served at /api/v1/public/bulk/ (default: beside a SQLite file, else ./bulk)")
      ->envname("SUIJI_BULK_DIR");
  serve->add_option("--public-rate", args->public_rate,
                    "requests a second one address may make on the anonymous public routes (default 50; 0 = no limit)")
      ->check(CLI::Range(0L, 1000000L))
      ->envname("SUIJI_PUBLIC_RATE");
  serve->add_option("--drain-s", args->drain_s, "on stop, how long requests in flight may take (default 10)")
      ->check(CLI::NonNegativeNumber)
      ->envname("SUIJI_DRAIN_S");
  serve->add_option("--for", args->for_seconds, "stop after this many seconds (default: until SIGINT/SIGTERM)")
      ->check(CLI::NonNegativeNumber);
  serve->add_option("--token-refresh-ms", args->token_refresh_ms,
                    "how often client tokens are reloaded, i.e. how fast a revocation bites (default 1000)")
      ->check(CLI::Range(0, 3600000))
      ->envname("SUIJI_TOKEN_REFRESH_MS");
  serve->add_option("--max-connections", args->max_connections, "concurrent connections (default 256)")
      ->check(CLI::Range(1, 100000))
      ->envname("SUIJI_MAX_CONNECTIONS");
  serve->add_option("--db-timeout-ms", args->db_timeout_ms,
                    "PostgreSQL: a statement of the server's connections is cancelled after this long and the "
                    "request answered 503 with Retry-After (default 2000; 0 = no limit; keep it under 5000)")
      ->check(CLI::Range(0, 3600000))
      ->envname("SUIJI_DB_TIMEOUT_MS");
  serve->add_option("--model", args->model, "credit model YAML: getClassification then explains stored scores")
      ->envname("SUIJI_MODEL");
  serve->add_option("--web", args->web, "serve the public web page at / with the HTTP API (default on)")
      ->check(CLI::IsMember({"on", "off"}))
      ->envname("SUIJI_WEB");
  serve->add_option("--web-dir", args->web_dir,
                    "serve the web page from this directory (development) instead of the files built in")
      ->envname("SUIJI_WEB_DIR");
  auto config = std::make_shared<std::string>();
  serve->add_option("--config", *config, "YAML file of serve options (flags and SUIJI_* variables take precedence)")
      ->envname("SUIJI_CONFIG");
  auto list_routes = std::make_shared<bool>(false);
  serve->add_flag("--list-routes", *list_routes,
                  "print the REST route table and the role table as JSON and exit (for tests and docs)");
  serve->callback([&globals, args, list_routes, config, serve] {
    if (!config->empty()) ApplyConfig(serve, *config);
    if (*list_routes) {
      nlohmann::ordered_json out{{"routes", nlohmann::ordered_json::array()}, {"roles", nlohmann::ordered_json::array()}};
      const suiji::rest::Router router = suiji::rest::ApiRouter();
      for (const auto& r : router.routes())
        out["routes"].push_back({{"method", r.method}, {"path", r.path}, {"action", r.action}, {"summary", r.summary}});
      for (const auto& r : suiji::app::RoleTable())
        out["roles"].push_back({{"role", r.role}, {"summary", r.summary}, {"actions", r.actions}});
      std::cout << out.dump(2) << "\n";
      return;
    }
    // Block the stop signals before any thread starts, so every thread inherits the mask.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    suiji::cli::OpenDb(globals, "serve");  // refuses a database not at this schema version
    const std::chrono::milliseconds db_timeout(args->db_timeout_ms);
    auto pool = suiji::cli::Must("serve", suiji::app::DbPool::Open(globals.db_url, 8, suiji::store::SystemClock(), db_timeout));
    suiji::app::DbBackendOptions options;
    if (!args->model.empty()) {
      auto model = suiji::cli::Must("serve", suiji::rules::LoadCreditModel(args->model));
      options.model = std::make_shared<const suiji::rules::CreditModel>(std::move(model));
    }
    auto log = [](std::string_view line) { std::cerr << "suiji serve: " << line << "\n"; };
    auto tokens = std::make_shared<suiji::app::DbTokenStore>(pool, std::chrono::milliseconds(args->token_refresh_ms), log);
    suiji::cli::Must("serve", tokens->Reload());
    auto backend = std::make_shared<suiji::app::DbCreditBackend>(pool, options);

    if (args->port == "off" && args->http_port == "off") suiji::cli::Fail("serve", "both --thrift-port and --http-port are off");
    std::unique_ptr<suiji::rpc::ThriftServer> thrift;
    if (args->port != "off") {
      suiji::rpc::ServerOptions so;
      so.host = args->host;
      so.port = std::stoi(args->port);
      so.max_connections = args->max_connections;
      thrift = suiji::cli::Must("serve", suiji::rpc::ThriftServer::Start(so, backend, tokens));
      std::cout << "thrift listening on " << args->host << ":" << thrift->port() << std::endl;
    }
    std::unique_ptr<suiji::rest::HttpServer> http;
    std::shared_ptr<suiji::rest::LogSink> request_log;
    static suiji::RegionTable regions = suiji::cli::Must("serve", suiji::RegionTable::LoadDefault());
    if (args->http_port != "off") {
      auto services = std::make_shared<suiji::rest::Services>();
      services->pool = pool;
      if (!args->public_db.empty())
        services->public_pool =
            suiji::cli::Must("serve", suiji::app::DbPool::Open(args->public_db, 8, suiji::store::SystemClock(), db_timeout));
      services->tokens = tokens;
      services->regions = &regions;
      services->router = suiji::rest::ApiRouter();
      services->version = suiji::kVersion;
      services->threads = static_cast<unsigned>(args->http_threads);
      services->cache.SetTtl(std::chrono::milliseconds(args->http_cache_ms));
      services->calendar = std::make_shared<const suiji::WorkingCalendar>(
          suiji::cli::Must("serve", suiji::WorkingCalendar::LoadDefault()));
      services->public_limiter.SetRate(args->public_rate);
      services->bulk_dir = args->bulk_dir.empty() ? suiji::app::DefaultBulkDir(globals.db_url) : args->bulk_dir;
      services->evidence_dir = args->evidence_dir.empty() ? suiji::app::DefaultEvidenceDir(globals.db_url) : args->evidence_dir;
      if (options.model) {
        services->model = options.model;
      } else if (auto m = suiji::rules::LoadCreditModel(suiji::DataDir() + "/examples/credit/model.yaml"); m) {
        services->model = std::make_shared<const suiji::rules::CreditModel>(std::move(m).value());
      }
      suiji::rest::HttpOptions ho;
      ho.host = args->http_host;
      ho.port = std::stoi(args->http_port);
      ho.threads = args->http_threads;
      ho.max_body = args->max_body;
      std::string proxies_error;
      auto proxies = suiji::rest::TrustedProxies::Parse(args->trusted_proxies, &proxies_error);
      if (!proxies) suiji::cli::Fail("serve", proxies_error);  // not reached: the option's check ran first
      ho.trusted_proxies = std::move(*proxies);
      if (args->web == "on")
        ho.site = args->web_dir.empty() ? suiji::rest::StaticSite::Embedded()
                                        : suiji::cli::Must("serve", suiji::rest::StaticSite::FromDir(args->web_dir));
      request_log = std::make_shared<suiji::rest::LogSink>();
      http = suiji::cli::Must("serve", suiji::rest::HttpServer::Start(services, ho, [log = request_log](const std::string& line) {
                                log->Write(line);
                              }));
      std::cout << "http listening on " << args->http_host << ":" << http->port() << std::endl;
    }

    int sig = WaitForStop(set, args->for_seconds);
    const char* why = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "time is up";
    if (http) {
      http->Stop(std::chrono::milliseconds(static_cast<long>(args->drain_s * 1000)));
      http.reset();
      request_log.reset();  // every line written before "http stopped"
      std::cout << "http stopped (" << why << ")" << std::endl;
    }
    if (thrift) {
      thrift->Stop();
      std::cout << "thrift stopped (" << why << ")" << std::endl;
    }
  });
}
