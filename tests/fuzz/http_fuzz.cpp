// libFuzzer target: the pure parts of the REST request path (api/rest/router.h, http.h): route matching
// against the route table documented in docs/openapi.yaml, query-string parsing and percent-decoding.
// (JsonBody, handlers.h, lives in dispatch.cpp with the whole server and is not linked here.)
// Input: the first byte picks the method (GET POST PUT PATCH DELETE HEAD OPTIONS), the rest is the
// request target "PATH?QUERY" as received. What it asserts:
//   1. ValidUtf8 agrees with nlohmann's UTF-8 check (and refuses NUL).
//   2. PercentDecode: a string without '%' (and '+' when plus_is_space is off) decodes to itself; a
//      decoded string, percent-encoded byte by byte, decodes back to itself.
//   3. ParseQuery: accepted pairs are valid UTF-8, and encoded again (every byte as %XX) they parse
//      back to the same pairs in the same order.
//   4. Router::Find: kFound gives a route of that method (or GET for HEAD) whose {params} are exactly
//      the template's, each non-empty, valid UTF-8, never "." or ".." and without '/'; the path rebuilt
//      from the template with the params fully percent-encoded finds the same route and params.
//      kMethodNotAllowed lists methods, not this one, under each of which the path is found.
//   5. The whole input as an X-Forwarded-For header (client_address.h): from an untrusted peer it is
//      ignored; from a trusted one the client is the peer or a canonical address written in the header
//      that is not a trusted proxy, unless every entry up to a malformed one was trusted (then the last
//      of those); LimitKey (core/limiters.h) of it is never empty.
// fuzz-sources: api/rest/router.cpp api/rest/http.cpp api/rest/client_address.cpp core/limiters.cpp
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/rest/client_address.h"
#include "api/rest/router.h"
#include "core/limiters.h"
#include "tests/fuzz/fuzz_util.h"

namespace rest = suiji::rest;
using suiji::fuzz::Check;

namespace {

const char* const kMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

// The route table from docs/openapi.yaml: "  /path:" keys under paths:, "    get:" methods under them.
const rest::Router& Table() {
  static const rest::Router router = [] {
    std::ifstream in(suiji::fuzz::RepoPath("docs/openapi.yaml"));
    Check(static_cast<bool>(in), "cannot read docs/openapi.yaml");
    rest::Router r;
    std::string line, path;
    bool in_paths = false;
    while (std::getline(in, line)) {
      if (line == "paths:") { in_paths = true; continue; }
      if (!in_paths) continue;
      if (!line.empty() && line[0] != ' ') break;  // components:
      if (line.size() > 3 && line.compare(0, 3, "  /") == 0 && line.back() == ':') {
        path = line.substr(2, line.size() - 3);
        continue;
      }
      for (const char* m : kMethods) {
        std::string lower(m);
        for (char& c : lower) c = static_cast<char>(c - 'A' + 'a');
        if (!path.empty() && line == "    " + lower + ":") r.Add(rest::Route{m, path, "", nullptr, "", false});
      }
    }
    Check(r.routes().size() > 40, "too few routes read from docs/openapi.yaml");
    return r;
  }();
  return router;
}

std::string EncodeAll(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

bool NlohmannUtf8(const std::string& s) {
  try {
    (void)nlohmann::json(s).dump();
    return true;
  } catch (const nlohmann::json::type_error&) {
    return false;
  }
}

void CheckDecode(const std::string& s) {
  // ValidUtf8 also refuses NUL ("no business in a name or a query").
  Check(rest::ValidUtf8(s) == (NlohmannUtf8(s) && s.find('\0') == std::string::npos), "ValidUtf8 and nlohmann disagree");
  for (bool plus : {false, true}) {
    std::string out;
    if (!rest::PercentDecode(s, out, plus)) continue;
    if (s.find('%') == std::string::npos && (!plus || s.find('+') == std::string::npos))
      Check(out == s, "PercentDecode changes a string without escapes");
    std::string again;
    Check(rest::PercentDecode(EncodeAll(out), again, plus) && again == out, "percent-encoding does not round-trip");
  }
}

void CheckQuery(const std::string& raw) {
  std::vector<std::pair<std::string, std::string>> q;
  if (!rest::ParseQuery(raw, q)) return;
  std::string enc;
  for (const auto& [k, v] : q) {
    Check(rest::ValidUtf8(k) && rest::ValidUtf8(v), "a query pair is not valid UTF-8");
    enc += (enc.empty() ? "" : "&") + EncodeAll(k) + "=" + EncodeAll(v);
  }
  std::vector<std::pair<std::string, std::string>> again;
  Check(rest::ParseQuery(enc, again), "an encoded query does not parse");
  // An empty key with an empty value may be dropped (e.g. "a=1&&b=2"); compare what survives.
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& p : q)
    if (!(p.first.empty() && p.second.empty())) kept.push_back(p);
  std::vector<std::pair<std::string, std::string>> kept_again;
  for (const auto& p : again)
    if (!(p.first.empty() && p.second.empty())) kept_again.push_back(p);
  Check(kept == kept_again, "an encoded query parses to different pairs");
}

std::vector<std::string> TemplateParams(const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t i = path.find('{'); i != std::string::npos; i = path.find('{', i + 1))
    out.push_back(path.substr(i + 1, path.find('}', i) - i - 1));
  return out;
}

void CheckRoute(const std::string& method, const std::string& raw_path) {
  const rest::Router& r = Table();
  rest::Match m = r.Find(method, raw_path);
  if (m.kind == rest::Match::kFound) {
    Check(m.route != nullptr, "kFound without a route");
    Check(m.route->method == method || (method == "HEAD" && m.route->method == "GET"), "a route of another method found");
    auto names = TemplateParams(m.route->path);
    Check(names.size() == m.params.size(), "params are not the template's");
    std::string rebuilt = m.route->path;
    for (const auto& n : names) {
      auto it = m.params.find(n);
      Check(it != m.params.end(), "a template param is missing");
      const std::string& v = it->second;
      Check(!v.empty() && v != "." && v != ".." && v.find('/') == std::string::npos && rest::ValidUtf8(v),
            "a param that the router must refuse");
      rebuilt.replace(rebuilt.find("{" + n + "}"), n.size() + 2, EncodeAll(v));
    }
    rest::Match again = r.Find(method, rebuilt);
    Check(again.kind == rest::Match::kFound && again.route == m.route && again.params == m.params,
          "the path rebuilt from the params finds another route");
  } else if (m.kind == rest::Match::kMethodNotAllowed) {
    Check(!m.allow.empty(), "kMethodNotAllowed without allowed methods");
    for (const auto& a : m.allow) {
      Check(a != method, "the request's own method listed as allowed");
      Check(r.Find(a, raw_path).kind == rest::Match::kFound, "an allowed method does not find the path");
    }
  } else {
    Check(m.route == nullptr && m.allow.empty(), "a not-found match with a route or methods");
  }
}

void CheckForwarded(const std::string& header) {
  static const rest::TrustedProxies proxies = [] {
    std::string error;
    auto t = rest::TrustedProxies::Parse({"127.0.0.1", "::1", "10.0.0.1"}, &error);
    Check(t.has_value(), "the fuzzer's proxies do not parse");
    return *t;
  }();
  Check(proxies.ClientOf("198.51.100.9", header) == "198.51.100.9", "X-Forwarded-For believed from an untrusted peer");
  const std::string client = proxies.ClientOf("127.0.0.1", header);
  Check(rest::CanonicalAddress(client) == client, "the client is not a canonical address");
  Check(!suiji::LimitKey(client).empty(), "an empty limiter key");
  if (client == "127.0.0.1" || client == "::1" || client == "10.0.0.1") return;
  bool written = false;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t comma = header.find(',', start);
    if (comma == std::string::npos) comma = header.size();
    written = written || rest::CanonicalAddress(header.substr(start, comma - start)) == client;
    start = comma + 1;
  }
  Check(written, "the client is not one of the header's entries");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string method = kMethods[data[0] % 7];
  const std::string target(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto q = target.find('?');
  const std::string path = target.substr(0, q);
  const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
  CheckDecode(target);
  CheckQuery(query);
  CheckRoute(method, path);
  CheckForwarded(target);
  return 0;
}
