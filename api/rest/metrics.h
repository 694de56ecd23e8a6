// Metrics: what `GET /metrics` exposes, in the Prometheus text format (version 0.0.4):
//   suiji_http_requests_total{route,method,status}     counter
//   suiji_http_request_duration_seconds{route}         histogram (le buckets, _sum, _count)
//   suiji_db_leases_in_use, suiji_db_leases_waiting    gauges (connections handed to requests, and
//                                                      requests waiting for one)
//   suiji_build_info{version}                          1
//   suiji_results_due, suiji_results_overdue           gauges, from the store at each scrape (ops.cpp)
// `route` is the route template ("/api/v1/draws/{id}"), never the raw path, so the label set is
// bounded whatever clients send; unmatched requests count under route="unmatched".
#pragma once
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace suiji::rest {

class Metrics {
 public:
  void Observe(const std::string& route, const std::string& method, int status, double seconds);
  std::atomic<long> leases_in_use{0}, leases_waiting{0};
  std::string Render(const std::string& version) const;

 private:
  static const std::vector<double>& Buckets();
  struct Histogram {
    std::vector<long> counts;  // per bucket (not cumulative)
    double sum = 0;
    long count = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, long> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace suiji::rest
