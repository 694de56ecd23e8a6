// Per-address limits shared by the REST API and the Thrift service, thread-safe. The address is the
// client's as the adapter sees it (REST: api/rest/client_address.h; Thrift: the TCP peer), limited under
// LimitKey: an IPv6 client by its /64, since one subscriber holds 2^64 addresses. Memory is bounded at
// kMaxAddresses keys: when full, ended windows are forgotten first (and, for failures, addresses not
// locked out), so a spray of new addresses does not reset the lockouts (docs/security.md, R4).
#pragma once
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace suiji {

// The key `address` is limited under: IPv4 (and IPv4-mapped IPv6) as the address, other IPv6 as its
// /64 ("2001:0db8:0000:0001::/64"), anything else as given.
std::string LimitKey(const std::string& address);

// Refused credentials per address: after kMaxFailures within kWindow, the address is refused until the
// window ends (REST: 429 with Retry-After; Thrift: RATE_LIMITED).
class FailureLimiter {
 public:
  static constexpr int kMaxFailures = 10;
  static constexpr std::chrono::seconds kWindow{60};
  static constexpr std::size_t kMaxAddresses = 100000;
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
  static constexpr std::size_t kMaxAddresses = 100000;
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
