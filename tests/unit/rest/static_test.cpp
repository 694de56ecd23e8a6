// StaticSite (api/rest/static.h): the web page's files, without a socket — the views' paths, types,
// security headers, ETag/304, other methods, traversal refused (embedded and from a directory, where a
// symbolic link must not lead out), and that the site never answers for a route of the API.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "api/rest/handlers.h"
#include "api/rest/static.h"

namespace suiji::rest {
namespace {

namespace fs = std::filesystem;

Request Get(std::string path, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

std::string HeaderOf(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

TEST(StaticSite, EmbeddedFilesAndViews) {
  auto site = StaticSite::Embedded();
  ASSERT_GT(site->size(), 5u);
  auto index = site->Serve(Get("/"));
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("<main id=\"main\""), std::string::npos);
  EXPECT_EQ(HeaderOf(*index, "Content-Security-Policy"), kWebCsp);
  EXPECT_EQ(HeaderOf(*index, "X-Frame-Options"), "DENY");
  EXPECT_EQ(HeaderOf(*index, "Referrer-Policy"), "no-referrer");
  EXPECT_EQ(HeaderOf(*index, "Cache-Control"), "no-cache");
  for (const char* view : {"/search", "/plans", "/plans/", "/stats", "/plans/510100-SAMR-2026", "/entities/%E6%88%90"}) {
    auto r = site->Serve(Get(view));
    ASSERT_TRUE(r) << view;
    EXPECT_EQ(r->body, index->body) << view;
  }
  auto js = site->Serve(Get("/js/app.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(site->Serve(Get("/style.css"))->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(site->Serve(Get("/favicon.svg"))->content_type, "image/svg+xml");
  // Revalidation.
  Request again = Get("/js/app.js");
  again.headers["if-none-match"] = HeaderOf(*js, "ETag");
  auto not_modified = site->Serve(again);
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_TRUE(not_modified->body.empty());
  EXPECT_EQ(HeaderOf(*not_modified, "Content-Security-Policy"), kWebCsp);
  // Other methods; nothing there.
  auto post = site->Serve(Get("/", "POST"));
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(HeaderOf(*post, "Allow"), "GET, HEAD");
  EXPECT_EQ(site->Serve(Get("/", "HEAD"))->status, 200);
  for (const char* none : {"/nothing", "/js/nothing.js", "/entities", "/entities/a/b", "/.git/config", "//js/app.js"})
    EXPECT_FALSE(site->Serve(Get(none))) << none;
}

TEST(StaticSite, RefusesTraversal) {
  auto site = StaticSite::Embedded();
  for (const char* bad : {"/..", "/../etc/passwd", "/js/..%2f..%2fCMakeLists.txt", "/%2e%2e/x", "/js/%00.js", "/js/a%5cb.js",
                          "/%ZZ", "/%FF", "/js/./app.js"}) {
    auto r = site->Serve(Get(bad));
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_EQ(r->content_type, "application/problem+json") << bad;
  }
}

TEST(StaticSite, FromDirStaysInside) {
  const fs::path root = fs::temp_directory_path() / ("suiji-static-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "site" / "js");
  std::ofstream(root / "site" / "index.html") << "<!doctype html><title>t</title>";
  std::ofstream(root / "site" / "js" / "a.js") << "export const a = 1;";
  std::ofstream(root / "secret.txt") << "secret";
  fs::create_symlink(root / "secret.txt", root / "site" / "leak.txt");
  EXPECT_FALSE(StaticSite::FromDir((root / "missing").string()));
  EXPECT_FALSE(StaticSite::FromDir((root / "site" / "js").string()));  // no index.html
  auto site = StaticSite::FromDir((root / "site").string());
  ASSERT_TRUE(site);
  EXPECT_EQ(site.value()->Serve(Get("/js/a.js"))->body, "export const a = 1;");
  EXPECT_EQ(site.value()->Serve(Get("/stats"))->body, "<!doctype html><title>t</title>");
  EXPECT_FALSE(site.value()->Serve(Get("/leak.txt")));  // a link out of the directory
  EXPECT_EQ(site.value()->Serve(Get("/..%2fsecret.txt"))->status, 400);
  fs::remove_all(root);
}

TEST(StaticSite, NeverShadowsTheApi) {
  auto site = StaticSite::Embedded();
  const Router router = ApiRouter();
  std::string route = "unmatched";
  EXPECT_FALSE(ServeStatic(site.get(), router, Get("/healthz"), &route));
  EXPECT_FALSE(ServeStatic(site.get(), router, Get("/healthz", "POST"), &route));  // the API's 405
  EXPECT_FALSE(ServeStatic(site.get(), router, Get("/api/v1/public/stats"), &route));
  EXPECT_FALSE(ServeStatic(site.get(), router, Get("/api/v1/nothing"), &route));
  EXPECT_FALSE(ServeStatic(nullptr, router, Get("/"), &route));  // --web off
  EXPECT_EQ(route, "unmatched");
  auto page = ServeStatic(site.get(), router, Get("/plans"), &route);
  ASSERT_TRUE(page);
  EXPECT_EQ(route, "static");
}

}  // namespace
}  // namespace suiji::rest
