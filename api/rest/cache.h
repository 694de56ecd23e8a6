// ResponseCache: recent 200 answers of read routes, so a page many clients ask for is computed once.
// Consistency, documented in docs/api.md: a write through this server (any successful POST) empties
// the cache at once (read-your-writes); changes made by other processes (a CLI import, another
// replica) show within `ttl` (1 s, as long as a token revocation takes). The key is the caller's
// org-unit scope, the path and the query, so no client is ever served another scope's answer.
#pragma once
#include <chrono>
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
  void Clear();
  void SetTtl(std::chrono::milliseconds ttl) { ttl_ = ttl; }  // 0: never serve from the cache

 private:
  struct Entry {
    Response response;
    std::chrono::steady_clock::time_point at;
  };
  std::chrono::milliseconds ttl_;
  std::size_t max_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace suiji::rest
