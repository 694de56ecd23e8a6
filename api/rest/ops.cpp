// Operations routes, anonymous: GET /healthz (the process answers), GET /readyz (the database answers
// within a second; 503 otherwise), GET /metrics (Prometheus text, see metrics.h).
#include <future>
#include <thread>

#include <soci/soci.h>

#include "api/rest/handlers.h"

namespace suiji::rest {

extern const char* const kOpenApiYaml;  // docs/openapi.yaml, embedded by CMake

namespace {

Response Healthz(Call& c) { return c.Ok({{"status", "ok"}, {"version", c.svc.version}}); }

// The check runs on its own thread so a hung database cannot hold the answer past the deadline; the
// thread finishes (or fails) on its own and its lease goes back to the pool then.
Response Readyz(Call& c) {
  auto done = std::make_shared<std::promise<std::string>>();
  auto answer = done->get_future();
  Services* svc = &c.svc;
  std::thread([svc, done] {
    try {
      auto db = svc->Lease();
      if (!db) {
        done->set_value(db.error().message);
        return;
      }
      int one = 0;
      db.value()->session() << "SELECT 1", soci::into(one);
      done->set_value(one == 1 ? "" : "the database answered SELECT 1 with " + std::to_string(one));
    } catch (const std::exception& e) {
      done->set_value(std::string("the database query failed: ") + e.what());
    }
  }).detach();
  if (answer.wait_for(std::chrono::seconds(1)) != std::future_status::ready)
    return c.Fail(Unavailable("the database did not answer within 1 s"));
  if (std::string err = answer.get(); !err.empty()) return c.Fail(Unavailable("the database is not ready"));
  return c.Ok({{"status", "ready"}});
}

Response MetricsText(Call& c) {
  return Text(200, "text/plain; version=0.0.4; charset=utf-8", c.svc.metrics.Render(c.svc.version));
}

Response OpenApi(Call& c) {
  if (auto p = OnlyQuery(c.req, {})) return c.Fail(*p);
  return Text(200, "application/yaml; charset=utf-8", kOpenApiYaml);
}

}  // namespace

void AddOpsRoutes(Router& r) {
  r.Add({"GET", "/healthz", "", Healthz, "the process answers"});
  r.Add({"GET", "/readyz", "", Readyz, "the database answers within 1 s"});
  r.Add({"GET", "/metrics", "", MetricsText, "Prometheus metrics"});
  r.Add({"GET", "/api/v1/openapi.yaml", "", OpenApi, "this API's OpenAPI 3.1 document"});
}

}  // namespace suiji::rest
