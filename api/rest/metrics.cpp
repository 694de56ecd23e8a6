#include "api/rest/metrics.h"

#include <cstdio>
#include <sstream>

namespace suiji::rest {
namespace {

// Label values escape backslash, quote and newline (the text format's only escapes).
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// Shortest round-trip-ish form: bucket bounds print as written ("0.005"), sums keep 9 digits.
std::string Num(double v, int digits = 9) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

}  // namespace

const std::vector<double>& Metrics::Buckets() {
  static const std::vector<double> b{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return b;
}

void Metrics::Observe(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  if (h.counts.empty()) h.counts.assign(Buckets().size(), 0);
  for (std::size_t i = 0; i < Buckets().size(); ++i)
    if (seconds <= Buckets()[i]) {
      ++h.counts[i];
      break;
    }
  h.sum += seconds;
  ++h.count;
}

std::string Metrics::Render(const std::string& version) const {
  std::ostringstream o;
  std::lock_guard lock(mu_);
  o << "# HELP suiji_http_requests_total HTTP requests answered, by route template, method and status.\n"
    << "# TYPE suiji_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    o << "suiji_http_requests_total{route=\"" << Label(std::get<0>(key)) << "\",method=\"" << Label(std::get<1>(key))
      << "\",status=\"" << std::get<2>(key) << "\"} " << n << "\n";
  o << "# HELP suiji_http_request_duration_seconds Time from request parsed to response written.\n"
    << "# TYPE suiji_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    long cumulative = 0;
    for (std::size_t i = 0; i < Buckets().size(); ++i) {
      cumulative += h.counts[i];
      o << "suiji_http_request_duration_seconds_bucket{route=\"" << Label(route) << "\",le=\"" << Num(Buckets()[i])
        << "\"} " << cumulative << "\n";
    }
    o << "suiji_http_request_duration_seconds_bucket{route=\"" << Label(route) << "\",le=\"+Inf\"} " << h.count << "\n"
      << "suiji_http_request_duration_seconds_sum{route=\"" << Label(route) << "\"} " << Num(h.sum) << "\n"
      << "suiji_http_request_duration_seconds_count{route=\"" << Label(route) << "\"} " << h.count << "\n";
  }
  o << "# HELP suiji_db_leases_in_use Database connections held by requests now.\n"
    << "# TYPE suiji_db_leases_in_use gauge\n"
    << "suiji_db_leases_in_use " << leases_in_use.load() << "\n"
    << "# HELP suiji_db_leases_waiting Requests waiting for a database connection now.\n"
    << "# TYPE suiji_db_leases_waiting gauge\n"
    << "suiji_db_leases_waiting " << leases_waiting.load() << "\n"
    << "# HELP suiji_build_info The running suiji's version.\n"
    << "# TYPE suiji_build_info gauge\n"
    << "suiji_build_info{version=\"" << Label(version) << "\"} 1\n";
  return o.str();
}

}  // namespace suiji::rest
