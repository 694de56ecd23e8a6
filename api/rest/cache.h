// ResponseCache: recent 200 answers of read routes, so a page many clients ask for is computed once.
// Consistency, documented in docs/api.md: a write through this server (any successful POST) empties
// the cache at once (read-your-writes); changes made by other processes (a CLI import, another
// replica) show within `ttl` (1 s, as long as a token revocation takes). The key is the caller's
// org-unit scope, the path and the query, so no client is ever served another scope's answer.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/rest/http.h"

namespace suiji::rest {

class ResponseCache {
 public:
  explicit ResponseCache(std::chrono::milliseconds ttl = std::chrono::milliseconds(1000), std::size_t max_entries = 4096)
      : ttl_(ttl), max_(max_entries) {}
  static std::string Key(const std::string& scope, const Request& req);
  std::optional<Response> Get(const std::string& key, std::chrono::steady_clock::time_point now);
  // Moves r's body into a shared buffer (r.Body() is unchanged) and keeps r.
  void Put(const std::string& key, Response& r, std::chrono::steady_clock::time_point now);
  // The cached answer, or compute's: of concurrent requests for one missing key only the first runs
  // compute, the others wait for its answer (a slow query expiring does not run once per client).
  // A non-200 answer is not shared: each waiter then computes its own.
  Response Fetch(const std::string& key, std::chrono::steady_clock::time_point now,
                 const std::function<Response()>& compute);
  void Clear();
  void SetTtl(std::chrono::milliseconds ttl) { ttl_ = ttl; }  // 0: never serve from the cache

 private:
  struct Entry {
    Response response;
    std::chrono::steady_clock::time_point at;
  };
  void StoreLocked(const std::string& key, const Response& r, std::chrono::steady_clock::time_point now);  // mu_ held
  std::chrono::milliseconds ttl_;
  std::size_t max_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  struct Flight {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    std::optional<Response> answer;
  };
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;
  std::uint64_t generation_ = 0;  // bumped by Clear
};

}  // namespace suiji::rest
