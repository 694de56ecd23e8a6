#include "api/rest/static.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "api/rest/problem.h"
#include "core/sha256.h"

namespace suiji::rest {

// web_embedded.cpp, generated from web/ by cmake/embed_web.cmake.
struct EmbeddedWebFile {
  const char* path;
  const unsigned char* data;
  std::size_t size;
};
extern const EmbeddedWebFile kEmbeddedWeb[];
extern const std::size_t kEmbeddedWebCount;

namespace {

namespace fs = std::filesystem;

std::string ETagOf(const std::string& body) { return "\"" + Sha256Hex(body).substr(0, 32) + "\""; }

std::string ContentType(const std::string& path) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},              {".png", "image/png"},
      {".ico", "image/x-icon"},               {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},  {".webmanifest", "application/manifest+json"},
      {".woff2", "font/woff2"}};
  const auto dot = path.rfind('.');
  if (dot != std::string::npos && path.find('/', dot) == std::string::npos)
    if (auto it = types.find(path.substr(dot)); it != types.end()) return it->second;
  return "application/octet-stream";
}

void SecurityHeaders(Response& r) {
  r.headers.emplace_back("Content-Security-Policy", kWebCsp);
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  // X-Content-Type-Options: nosniff is on every response of the server (server.cpp).
}

// The page's own views: index.html answers them, so a link to one works on a reload.
bool ViewPath(const std::vector<std::string>& segs) {
  if (segs.empty() || segs.size() > 2 || segs[0].empty()) return false;
  const std::string& v = segs[0];
  if (segs.size() == 1) return v == "search" || v == "plans" || v == "stats";
  return (v == "entities" || v == "plans") && !segs[1].empty();
}

}  // namespace

std::shared_ptr<const StaticSite> StaticSite::Embedded() {
  static const std::shared_ptr<const StaticSite> site = [] {
    auto s = std::make_shared<StaticSite>();
    for (std::size_t i = 0; i < kEmbeddedWebCount; ++i) {
      std::string body(reinterpret_cast<const char*>(kEmbeddedWeb[i].data), kEmbeddedWeb[i].size);
      File f{body, ETagOf(body)};
      s->files_.emplace(kEmbeddedWeb[i].path, std::move(f));
    }
    return s;
  }();
  return site;
}

Result<std::shared_ptr<const StaticSite>> StaticSite::FromDir(const std::string& dir) {
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec || !fs::is_regular_file(root / "index.html", ec))
    return Error{"web.dir", "--web-dir " + dir + ": no index.html there", "web-dir"};
  auto s = std::make_shared<StaticSite>();
  s->dir_ = root.string();
  return std::shared_ptr<const StaticSite>(std::move(s));
}

std::optional<StaticSite::File> StaticSite::Read(const std::string& rel) const {
  if (dir_.empty()) {
    auto it = files_.find(rel);
    if (it == files_.end()) return std::nullopt;
    return it->second;
  }
  // `rel` has no "." or ".." segment (Serve); the canonical path must still lie inside the root, so a
  // symbolic link cannot lead out of it either.
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::path(dir_) / rel, ec);
  const std::string ps = p.string();
  if (ec || ps.size() <= dir_.size() || ps.compare(0, dir_.size(), dir_) != 0 || ps[dir_.size()] != '/' ||
      !fs::is_regular_file(p, ec))
    return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  File f{ss.str(), ""};
  f.etag = ETagOf(f.body);
  return f;
}

std::optional<Response> StaticSite::Serve(const Request& req) const {
  // Split and decode the path; refuse what could name a file outside the site.
  std::vector<std::string> segs;
  const std::string& raw = req.path;
  for (std::size_t i = 1; i <= raw.size();) {
    std::size_t j = raw.find('/', i);
    if (j == std::string::npos) j = raw.size();
    std::string seg;
    if (!PercentDecode(raw.substr(i, j - i), seg, false) || !ValidUtf8(seg) || seg == "." || seg == ".." ||
        seg.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
      Response r = Render(BadRequest("a path segment is not valid (bad %-escape, invalid UTF-8, '.' or '..')"),
                          req.request_id);
      SecurityHeaders(r);
      return r;
    }
    segs.push_back(std::move(seg));
    i = j + 1;
  }
  if (!segs.empty() && segs.back().empty()) segs.pop_back();  // "/" and "/plans/"
  std::string rel;
  for (const auto& s : segs) {
    if (s.empty() || s[0] == '.') return std::nullopt;  // "//", dotfiles
    rel += (rel.empty() ? "" : "/") + s;
  }
  std::optional<File> file;
  std::string type;
  if (rel.empty() || ViewPath(segs)) {
    file = Read("index.html");
    type = ContentType("index.html");
  } else {
    file = Read(rel);
    type = ContentType(rel);
  }
  if (!file) return std::nullopt;
  if (req.method != "GET" && req.method != "HEAD") {
    Response r = Render({405, "method-not-allowed", "Method not allowed",
                         req.method + " is not allowed on " + req.path.substr(0, 200) + " (allowed: GET, HEAD)", {}},
                        req.request_id);
    r.headers.emplace_back("Allow", "GET, HEAD");
    SecurityHeaders(r);
    return r;
  }
  Response r;
  r.content_type = type;
  r.headers.emplace_back("ETag", file->etag);
  r.headers.emplace_back("Cache-Control", "no-cache");
  SecurityHeaders(r);
  const std::string given = req.Header("if-none-match");
  if (!given.empty() && (given == "*" || given.find(file->etag) != std::string::npos)) {
    r.status = 304;
    return r;
  }
  r.status = 200;
  r.body = std::move(file->body);
  return r;
}

std::optional<Response> ServeStatic(const StaticSite* site, const Router& router, const Request& req,
                                    std::string* route) {
  if (!site || req.path.rfind("/api/", 0) == 0 || req.path == "/api") return std::nullopt;
  if (router.Find(req.method, req.path).kind != Match::kNotFound) return std::nullopt;  // never shadows a route
  auto r = site->Serve(req);
  if (r) *route = "static";
  return r;
}

}  // namespace suiji::rest
