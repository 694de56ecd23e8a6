#include "core/limiters.h"

namespace suiji {

long FailureLimiter::RetryAfter(const std::string& client, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(client);
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
  if (windows_.size() > 100000) windows_.clear();  // bounded memory under a spray of addresses
  auto& w = windows_[client];
  if (w.failures == 0 || now >= w.start + kWindow) w = Window{now, 0};
  ++w.failures;
}

bool RequestLimiter::Allow(const std::string& client, std::chrono::steady_clock::time_point now) {
  if (per_second_ <= 0) return true;
  std::lock_guard lock(mu_);
  if (windows_.size() > 100000) windows_.clear();  // bounded memory under a spray of addresses
  auto& w = windows_[client];
  if (w.count == 0 || now >= w.start + std::chrono::seconds(1)) w = Window{now, 0};
  return ++w.count <= per_second_;
}

}  // namespace suiji
