// StaticSite: the public web page (web/: HTML, ES modules, one CSS file) that `suiji serve` answers at
// "/" beside the API. The files are embedded into the binary at build time (api/rest/CMakeLists.txt
// reads web/ into web_embedded.cpp; no JS build step), or read from a directory on every request
// (`serve --web-dir DIR`, for development). It answers GET and HEAD only, never shadows a route of the
// API (/healthz, /metrics, /api/...), and serves index.html for "/" and for the paths of the page's
// own views (/search, /entities/{id}, /plans[/{id}], /stats), so such a link also works on a reload.
// Every answer carries the Content-Security-Policy below and the other security headers, an ETag
// (If-None-Match gives 304) and Cache-Control: no-cache (revalidated each time, never stale). A "."
// or ".." segment, a bad %-escape or a NUL is refused (400); a file outside the set is never read.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "api/rest/http.h"
#include "api/rest/router.h"
#include "core/result.h"

namespace suiji::rest {

inline constexpr const char* kWebCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

class StaticSite {
 public:
  // The files compiled into the binary.
  static std::shared_ptr<const StaticSite> Embedded();
  // The files under `dir`, read on each request; an error when it has no index.html.
  static Result<std::shared_ptr<const StaticSite>> FromDir(const std::string& dir);

  // The answer to `req` (its path still %-encoded) when the site has something there: a file,
  // index.html for a view's path, 304, a 400 for a traversal attempt, a 405 for another method;
  // nullopt otherwise (the API's 404 then).
  std::optional<Response> Serve(const Request& req) const;
  // The number of files (embedded) or 0 (from a directory).
  std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string body, etag;
  };
  std::optional<File> Read(const std::string& rel) const;

  std::map<std::string, File> files_;  // "index.html", "js/app.js", ... (embedded)
  std::string dir_;                    // else: read from here
};

// The server's hook (server.cpp): a GET or HEAD outside /api/ that no route of `router` matches goes to
// the site; `route` becomes "static" (the metrics and log label). nullopt: dispatch as usual.
std::optional<Response> ServeStatic(const StaticSite* site, const Router& router, const Request& req,
                                    std::string* route);

}  // namespace suiji::rest
