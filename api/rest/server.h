// HttpServer: the Pistache endpoint that serves the route table (handlers.h) — a worker pool, a body
// limit, header/body/keep-alive timeouts, one JSON log line per request (time, request id, method,
// route template, status, bytes, duration, client), the request id echoed in X-Request-Id, and a
// graceful stop: Stop() answers new requests 503, lets those in flight finish (up to `drain`), then
// shuts the endpoint down.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "api/rest/client_address.h"
#include "api/rest/services.h"
#include "core/result.h"

namespace suiji::rest {

class StaticSite;  // static.h

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  int threads = 2;
  std::size_t max_body = 8u << 20;
  std::chrono::milliseconds header_timeout{10000}, body_timeout{30000}, keepalive{5000};
  std::shared_ptr<const StaticSite> site;  // the web page at "/" (serve --web, --web-dir); null = none
  TrustedProxies trusted_proxies;           // whose X-Forwarded-For names the client (client_address.h)
};

class HttpServer {
 public:
  // Binds and starts serving on background threads. `log` receives each request's JSON line.
  static Result<std::unique_ptr<HttpServer>> Start(std::shared_ptr<Services> services, HttpOptions options,
                                                    std::function<void(const std::string&)> log);
  ~HttpServer();
  int port() const { return port_; }
  void Stop(std::chrono::milliseconds drain);

  struct State;

 private:
  HttpServer() = default;
  std::shared_ptr<State> state_;
  int port_ = 0;
};

}  // namespace suiji::rest
