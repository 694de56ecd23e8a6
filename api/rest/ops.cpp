// Operations routes, anonymous: GET /healthz (the process answers), GET /readyz (the database answers
// within a second; 503 otherwise), GET /metrics (Prometheus text, see metrics.h).
#include <future>
#include <thread>

#include <soci/soci.h>

#include "api/app/results.h"
#include "api/rest/handlers.h"
#include "core/date.h"

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

// The publication deadline's gauges: unpublished results due within kDueWindow working days, and
// those past it. Left out when the database or the calendar cannot answer (the scrape still works).
constexpr int kDueWindow = 5;
std::string DeadlineGauges(Call& c) {
  if (!c.svc.calendar) return "";
  auto db = c.svc.Lease();
  if (!db) return "";
  auto today = ParseDate((*db.value()).Now().substr(0, 10));
  if (!today) return "";
  auto due = app::DueResults(*db.value(), *c.svc.calendar, today.value(), kDueWindow);
  if (!due) return "";
  long soon = 0, overdue = 0;
  for (const auto& d : due.value()) (d.working_days_left < 0 ? overdue : soon) += 1;
  return "# HELP suiji_results_due Unpublished inspection results due within " + std::to_string(kDueWindow) +
         " working days.\n# TYPE suiji_results_due gauge\nsuiji_results_due " + std::to_string(soon) +
         "\n# HELP suiji_results_overdue Unpublished inspection results past their 20-working-day deadline.\n"
         "# TYPE suiji_results_overdue gauge\nsuiji_results_overdue " + std::to_string(overdue) + "\n";
}

Response MetricsText(Call& c) {
  return Text(200, "text/plain; version=0.0.4; charset=utf-8", c.svc.metrics.Render(c.svc.version) + DeadlineGauges(c));
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
