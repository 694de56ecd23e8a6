#include "api/rest/cache.h"

namespace suiji::rest {

std::string ResponseCache::Key(const std::string& scope, const Request& req) {
  std::string k = scope;
  k += '\x1f';
  k += req.path;
  for (const auto& [name, value] : req.query) {
    k += '\x1f';
    k += name;
    k += '=';
    k += value;
  }
  return k;
}

std::optional<Response> ResponseCache::Get(const std::string& key, std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (now - it->second.at >= ttl_) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.response;
}

void ResponseCache::Put(const std::string& key, Response& r, std::chrono::steady_clock::time_point now) {
  if (!r.shared_body) {
    r.shared_body = std::make_shared<const std::string>(std::move(r.body));
    r.body.clear();
  }
  std::lock_guard lock(mu_);
  if (entries_.size() >= max_) entries_.clear();  // bounded: a burst of distinct queries starts over
  entries_[key] = Entry{r, now};
}

void ResponseCache::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

}  // namespace suiji::rest
