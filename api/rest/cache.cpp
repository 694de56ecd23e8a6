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

namespace {
// The body moved into a shared buffer, so a hit copies none of it.
void Share(Response& r) {
  if (r.shared_body) return;
  r.shared_body = std::make_shared<const std::string>(std::move(r.body));
  r.body.clear();
}
}  // namespace

void ResponseCache::StoreLocked(const std::string& key, const Response& r, std::chrono::steady_clock::time_point now) {
  if (entries_.size() >= max_) entries_.clear();  // bounded: a burst of distinct queries starts over
  entries_[key] = Entry{r, now};
}

void ResponseCache::Put(const std::string& key, Response& r, std::chrono::steady_clock::time_point now) {
  Share(r);
  std::lock_guard lock(mu_);
  StoreLocked(key, r, now);
}

Response ResponseCache::Fetch(const std::string& key, std::chrono::steady_clock::time_point now,
                             const std::function<Response()>& compute) {
  if (ttl_.count() <= 0) return compute();
  if (auto hit = Get(key, now)) return std::move(hit).value();
  std::shared_ptr<Flight> flight;
  bool leader = false;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    generation = generation_;
    auto& f = flights_[key];
    if (!f) {
      f = std::make_shared<Flight>();
      leader = true;
    }
    flight = f;
  }
  if (!leader) {
    std::unique_lock lock(flight->mu);
    flight->cv.wait(lock, [&] { return flight->done; });
    if (flight->answer) return *flight->answer;
    lock.unlock();
    return compute();
  }
  auto finish = [&](std::optional<Response> answer) {
    {
      std::lock_guard lock(mu_);
      if (auto it = flights_.find(key); it != flights_.end() && it->second == flight) flights_.erase(it);
    }
    std::lock_guard lock(flight->mu);
    flight->answer = std::move(answer);
    flight->done = true;
    flight->cv.notify_all();
  };
  Response r;
  try {
    r = compute();
  } catch (...) {
    finish(std::nullopt);
    throw;
  }
  if (r.status == 200) {
    // Not kept when a write cleared the cache meanwhile: the answer may predate the write.
    Share(r);
    std::lock_guard lock(mu_);
    if (generation == generation_) StoreLocked(key, r, now);
  }
  finish(r.status == 200 ? std::optional<Response>(r) : std::nullopt);
  return r;
}

void ResponseCache::Clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
  flights_.clear();  // requests from now on start their own computation, after the write
  ++generation_;
}

}  // namespace suiji::rest
