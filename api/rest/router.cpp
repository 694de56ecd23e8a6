#include "api/rest/router.h"

#include <algorithm>

namespace suiji::rest {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  if (!path.empty() && path[0] == '/') i = 1;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool MatchTemplate(const std::vector<std::string>& tmpl, const std::vector<std::string>& segs, Params& params,
                   bool& bad) {
  if (tmpl.size() != segs.size()) return false;
  Params p;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    const std::string& t = tmpl[i];
    if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
      std::string v;
      if (segs[i].empty()) return false;
      if (!PercentDecode(segs[i], v, false) || !ValidUtf8(v) || v == "." || v == ".." ||
          v.find('/') != std::string::npos) {
        bad = true;
        return false;
      }
      p[t.substr(1, t.size() - 2)] = std::move(v);
    } else if (t != segs[i]) {
      return false;
    }
  }
  params = std::move(p);
  return true;
}

}  // namespace

void Router::Add(Route route) {
  segments_.push_back(Split(route.path));
  routes_.push_back(std::move(route));
}

Match Router::Find(const std::string& method, const std::string& raw_path) const {
  Match m;
  const auto segs = Split(raw_path);
  bool bad = false;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    Params params;
    if (!MatchTemplate(segments_[i], segs, params, bad)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.kind = Match::kFound;
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    if (std::find(m.allow.begin(), m.allow.end(), r.method) == m.allow.end()) m.allow.push_back(r.method);
  }
  if (!m.allow.empty()) m.kind = Match::kMethodNotAllowed;
  else if (bad) m.kind = Match::kBadPath;
  return m;
}

}  // namespace suiji::rest
