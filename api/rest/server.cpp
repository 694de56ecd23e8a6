#include "api/rest/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <algorithm>
#include <random>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/rest/handlers.h"
#include "api/rest/static.h"
#include "data/store/clock.h"
#include "data/store/json_text.h"
#include "data/store/timeouts.h"

namespace suiji::rest {

using namespace Pistache;

struct HttpServer::State {
  std::shared_ptr<Services> services;
  std::function<void(const std::string&)> log;
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  std::size_t max_body = 0;
  std::shared_ptr<const StaticSite> site;
  TrustedProxies trusted_proxies;
  std::unique_ptr<Http::Endpoint> endpoint;
};

namespace {

constexpr std::size_t kHeaderAllowance = 64 * 1024;

// A response header by name and value (Pistache 0.0.5 writes only typed headers, never raw ones).
class NamedHeader : public Http::Header::Header {
 public:
  NamedHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
  std::uint64_t hash() const override { return Http::Header::detail::hash(name_.c_str()); }

 private:
  std::string name_, value_;
};

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// A client's X-Request-Id is echoed only when it is short and plain (it goes into logs).
bool PlainId(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

// Pistache hands the query over as written: each name and value is %-decoded here ('+' is a space);
// false when one cannot be.
bool Convert(const Http::Request& in, const TrustedProxies& proxies, Request& r) {
  r.method = Http::methodString(in.method());
  r.path = in.resource();
  bool ok = true;
  for (auto it = in.query().parameters_begin(); it != in.query().parameters_end(); ++it) {
    std::string k, v;
    ok = ok && PercentDecode(it->first, k, true) && PercentDecode(it->second, v, true);
    r.query.emplace_back(std::move(k), std::move(v));
  }
  auto lower = [](std::string s) {
    for (auto& ch : s)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return s;
  };
  thread_local std::ostringstream v;  // one per worker: a stream per header cost a malloc each
  for (const auto& h : in.headers().list()) {
    v.str(std::string());
    h->write(v);
    r.headers[lower(h->name())] = v.str();
  }
  for (const auto& [name, raw] : in.headers().rawList()) r.headers[lower(name)] = raw.value();
  r.body = in.body();
  r.client = proxies.ClientOf(in.address().host(), r.Header("x-forwarded-for"));
  return ok;
}

class RequestHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(RequestHandler)
  explicit RequestHandler(std::shared_ptr<HttpServer::State> state) : state_(std::move(state)) {}

  void onRequest(const Http::Request& in, Http::ResponseWriter out) override {
    const auto t0 = std::chrono::steady_clock::now();
    ++state_->in_flight;
    Request req;
    const bool decoded = Convert(in, state_->trusted_proxies, req);
    const std::string given = req.Header("x-request-id");
    req.request_id = PlainId(given) ? given : NewRequestId();
    std::string route = "unmatched";
    Response res;
    if (state_->draining) {
      res = Render(Unavailable("the server is shutting down"), req.request_id);
    } else if (in.body().size() > state_->max_body) {
      res = Render(TooLarge("the body has " + std::to_string(in.body().size()) + " bytes; this server takes at most " +
                            std::to_string(state_->max_body) + " (--max-body)"),
                   req.request_id);
    } else {
      // Query parameters Pistache could not hand over as valid UTF-8 are a bad request, never a 500.
      bool valid = decoded && ValidUtf8(req.path);
      for (const auto& [k, v] : req.query) valid = valid && ValidUtf8(k) && ValidUtf8(v);
      auto page = valid ? ServeStatic(state_->site.get(), state_->services->router, req, &route) : std::nullopt;
      const std::uint64_t timeouts = store::StatementTimeoutsOnThisThread();
      res = page ? std::move(*page)
            : valid ? Dispatch(*state_->services, req, &route)
                    : Render(BadRequest("the path or a query parameter is not valid %-encoded UTF-8"), req.request_id);
      // A statement PostgreSQL cancelled for the pool's statement_timeout (--db-timeout-ms) while this
      // request ran: the database is slow or a lock is held elsewhere. An outage, not a bug: 503, retry.
      if (res.status == 500 && store::StatementTimeoutsOnThisThread() != timeouts)
        res = Render(Unavailable("the database did not answer in time (--db-timeout-ms); try again"), req.request_id);
    }
    // Every 503 (the database is away or slow, the server is stopping) says when to come back.
    if (res.status == 503 && std::none_of(res.headers.begin(), res.headers.end(),
                                          [](const auto& h) { return h.first == "Retry-After"; }))
      res.headers.emplace_back("Retry-After", "1");
    out.headers().add<Http::Header::ContentType>(Http::Mime::MediaType::fromString(res.content_type));
    // HTTP/1.1 connections persist unless a side says close (RFC 9112 9.3). Pistache 0.0.5 sets
    // "Connection: Close" on the response when the request names no Connection (as wrk and most
    // clients do not); replaced here. A draining server closes.
    if (!in.headers().has<Http::Header::Connection>() && in.version() == Http::Version::Http11) {
      out.headers().remove<Http::Header::Connection>();
      out.headers().add<Http::Header::Connection>(state_->draining ? Http::ConnectionControl::Close
                                                                   : Http::ConnectionControl::KeepAlive);
    }
    auto add = [&](std::string k, std::string v) { out.headers().add(std::make_shared<NamedHeader>(std::move(k), std::move(v))); };
    add("X-Request-Id", req.request_id);
    add("X-Content-Type-Options", "nosniff");
    bool cache_control = false;
    for (const auto& [k, v] : res.headers) {
      add(k, v);
      cache_control = cache_control || k == "Cache-Control";
    }
    if (!cache_control) add("Cache-Control", "no-store");
    const std::string& body = res.Body();
    const std::size_t bytes = body.size();
    if (req.method == "HEAD") out.send(static_cast<Http::Code>(res.status), std::string());
    else out.send(static_cast<Http::Code>(res.status), body);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state_->services->metrics.Observe(route, req.method, res.status, secs);
    if (state_->log) {
      // Written by hand: one line per request is on every request's path.
      static const store::Clock clock = store::SystemClock();
      std::string line = "{\"time\":";
      line.reserve(256);
      store::AppendJsonString(line, clock());
      line += ",\"request_id\":";
      store::AppendJsonString(line, req.request_id);
      line += ",\"method\":";
      store::AppendJsonString(line, req.method);
      line += ",\"route\":";
      store::AppendJsonString(line, route);
      char nums[96];
      std::snprintf(nums, sizeof nums, ",\"status\":%d,\"bytes\":%zu,\"duration_ms\":%.3f,\"client\":", res.status,
                    bytes, secs * 1000.0);
      line += nums;
      store::AppendJsonString(line, req.client);
      line += '}';
      state_->log(line);
    }
    --state_->in_flight;
  }

 private:
  std::shared_ptr<HttpServer::State> state_;
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(std::shared_ptr<Services> services, HttpOptions o,
                                                      std::function<void(const std::string&)> log) {
  auto state = std::make_shared<State>();
  state->services = std::move(services);
  state->log = std::move(log);
  state->max_body = o.max_body;
  state->site = o.site;
  state->trusted_proxies = o.trusted_proxies;
  try {
    Address addr(o.host, Port(static_cast<std::uint16_t>(o.port)));
    state->endpoint = std::make_unique<Http::Endpoint>(addr);
    auto opts = Http::Endpoint::options()
                    .threads(o.threads)
                    .flags(Tcp::Options::ReuseAddr)
                    // Pistache counts the request line and headers too: the allowance lets a body of
                    // exactly max_body through, and bodies a little over get our problem+json 413.
                    // Pistache itself refuses a request past the allowance with a plain-text 413.
                    .maxRequestSize(o.max_body + kHeaderAllowance)
                    .headerTimeout(o.header_timeout)
                    .bodyTimeout(o.body_timeout)
                    .keepaliveTimeout(o.keepalive);
    state->endpoint->init(opts);
    state->endpoint->setHandler(Http::make_handler<RequestHandler>(state));
    state->endpoint->serveThreaded();
  } catch (const std::exception& e) {
    return Error{"http.listen", "cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + e.what(), "http-port"};
  }
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->port_ = static_cast<int>(static_cast<std::uint16_t>(state->endpoint->getPort()));
  server->state_ = std::move(state);
  return server;
}

void HttpServer::Stop(std::chrono::milliseconds drain) {
  if (!state_ || !state_->endpoint) return;
  state_->draining = true;
  const auto until = std::chrono::steady_clock::now() + drain;
  while (state_->in_flight > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  state_->endpoint->shutdown();
  state_->endpoint.reset();
}

HttpServer::~HttpServer() { Stop(std::chrono::milliseconds(0)); }

}  // namespace suiji::rest
