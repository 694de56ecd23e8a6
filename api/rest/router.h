// Router: the route table as data. Each route is a method, a path template ("/api/v1/draws/{id}") and
// the action a caller's role must allow ("" = anonymous). The server, the OpenAPI test and the
// authorization-matrix test all read the same table (routes()), so a route cannot exist without a rule.
//
// Matching is exact per segment; "{name}" matches one non-empty segment (percent-decoded, valid UTF-8,
// never "." or ".."). A path that matches a template under another method gives kMethodNotAllowed with
// the allowed methods (for the Allow header); otherwise kNotFound.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/rest/http.h"

namespace suiji::rest {

using Params = std::map<std::string, std::string>;
struct Call;  // handlers.h
using Handler = std::function<Response(Call&)>;

struct Route {
  std::string method;
  std::string path;    // template
  std::string action;  // e.g. "entities.read"; "" = no authentication
  Handler handler;
  std::string summary;  // one line, for logs and docs
  bool cacheable = false;  // a read whose 200 answer may be served from the ResponseCache (cache.h)
};

struct Match {
  enum Kind { kFound, kNotFound, kMethodNotAllowed, kBadPath } kind = kNotFound;
  const Route* route = nullptr;
  Params params;
  std::vector<std::string> allow;  // kMethodNotAllowed
};

class Router {
 public:
  void Add(Route route);
  // `raw_path` as received (percent-encoded, no query).
  Match Find(const std::string& method, const std::string& raw_path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // each route's template, split once
};

}  // namespace suiji::rest
