// Per-address limits shared by the REST API and the Thrift service. Both are keyed by the client's
// address as the adapter sees it (REST: api/rest/client_address.h; Thrift: the TCP peer) and thread-safe.
// Each table is cleared when it passes 100,000 addresses: memory stays bounded under a spray of source
// addresses, at the price of forgetting everyone's counts (docs/security.md, R4).
#pragma once
#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace suiji {

// Refused credentials per address: after kMaxFailures within kWindow, the address is refused until the
// window ends (REST: 429 with Retry-After; Thrift: RATE_LIMITED).
class FailureLimiter {
 public:
  static constexpr int kMaxFailures = 10;
  static constexpr std::chrono::seconds kWindow{60};
  // Seconds until `client` may try again, or 0.
  long RetryAfter(const std::string& client, std::chrono::steady_clock::time_point now);
  void Fail(const std::string& client, std::chrono::steady_clock::time_point now);

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int failures = 0;
  };
  std::mutex mu_;
  std::map<std::string, Window> windows_;
};

// Requests per second per client address on the anonymous public routes (0 = no limit): one window
// per address and second; past the limit, 429 with Retry-After: 1.
class RequestLimiter {
 public:
  explicit RequestLimiter(long per_second = 0) : per_second_(per_second) {}
  void SetRate(long per_second) { per_second_ = per_second; }
  long rate() const { return per_second_; }
  // true when this request may go on.
  bool Allow(const std::string& client, std::chrono::steady_clock::time_point now);

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    long count = 0;
  };
  long per_second_;
  std::mutex mu_;
  std::map<std::string, Window> windows_;
};

}  // namespace suiji
