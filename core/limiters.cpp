#include "core/limiters.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

namespace suiji {

std::string LimitKey(const std::string& address) {
  unsigned char b[16];
  if (inet_pton(AF_INET6, address.c_str(), b) != 1) return address;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(b, b + 12, kMapped)) {
    char v4[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, b + 12, v4, sizeof v4) ? std::string(v4) : address;
  }
  char key[48];
  std::snprintf(key, sizeof key, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", b[0], b[1], b[2], b[3], b[4], b[5], b[6],
                b[7]);
  return key;
}

long FailureLimiter::RetryAfter(const std::string& client, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(LimitKey(client));
  if (it == windows_.end()) return 0;
  auto end = it->second.start + kWindow;
  if (now >= end) {
    windows_.erase(it);
    return 0;
  }
  if (it->second.failures < kMaxFailures) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(end - now).count() + 1;
}

void FailureLimiter::Fail(const std::string& client, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  if (windows_.size() >= kMaxAddresses) {
    // Full: forget ended windows and addresses not locked out, so a spray of new addresses cannot
    // unlock the ones that are. Only if lockouts alone fill half the table is everything forgotten.
    std::erase_if(windows_, [&](const auto& kv) {
      return now >= kv.second.start + kWindow || kv.second.failures < kMaxFailures;
    });
    if (windows_.size() >= kMaxAddresses / 2) windows_.clear();
  }
  auto& w = windows_[LimitKey(client)];
  if (w.failures == 0 || now >= w.start + kWindow) w = Window{now, 0};
  ++w.failures;
}

bool RequestLimiter::Allow(const std::string& client, std::chrono::steady_clock::time_point now) {
  if (per_second_ <= 0) return true;
  std::lock_guard lock(mu_);
  if (windows_.size() >= kMaxAddresses) {
    std::erase_if(windows_, [&](const auto& kv) { return now >= kv.second.start + std::chrono::seconds(1); });
    if (windows_.size() >= kMaxAddresses / 2) windows_.clear();
  }
  auto& w = windows_[LimitKey(client)];
  if (w.count == 0 || now >= w.start + std::chrono::seconds(1)) w = Window{now, 0};
  return ++w.count <= per_second_;
}

}  // namespace suiji
