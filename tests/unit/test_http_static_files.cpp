// The status page's files served from memory: names, types, ETags and 304s, bounds; and the
// router's root route, which "/" needs.

#include "base/error.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

#include "../support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace dockerops::http {
namespace {

std::string header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers)
    if (key == name)
      return value;
  return "";
}

TEST(StaticFiles, ServesFilesByRelativeNameWithTypeAndEtag) {
  dockerops::testing::TempDir dir;
  dir.write("index.html", "<!doctype html>");
  dir.write("assets/app.js", "export {};");
  dir.write("assets/style.css", "body{}");
  StaticFiles files = StaticFiles::load(dir.path());
  EXPECT_EQ(files.size(), 3u);
  Request request;
  auto index = files.serve("index.html", request);
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<!doctype html>");
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(*index, "Cache-Control"), "no-cache");
  auto script = files.serve("assets/app.js", request);
  ASSERT_TRUE(script);
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(header(*script, "ETag"), header(*index, "ETag"));
  EXPECT_FALSE(files.serve("app.js", request));
  EXPECT_FALSE(files.serve("assets/../index.html", request));
  EXPECT_FALSE(files.serve("", request));
}

TEST(StaticFiles, AnswersNotModifiedToTheSameEtag) {
  dockerops::testing::TempDir dir;
  dir.write("index.html", "<p>one</p>");
  StaticFiles files = StaticFiles::load(dir.path());
  Request request;
  std::string etag = header(*files.serve("index.html", request), "ETag");
  ASSERT_FALSE(etag.empty());
  request.headers["if-none-match"] = etag;
  auto again = files.serve("index.html", request);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  request.headers["if-none-match"] = "\"something-else\"";
  EXPECT_EQ(files.serve("index.html", request)->status, 200);
}

TEST(StaticFiles, RefusesMissingFoldersAndLargeFiles) {
  dockerops::testing::TempDir dir;
  EXPECT_THROW(StaticFiles::load(dir.path() / "nothing"), Error);
  dir.write("big.js", std::string(3 * 1024 * 1024, 'x'));
  try {
    StaticFiles::load(dir.path());
    FAIL() << "a 3 MiB file was loaded";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("big.js: the page's files must stay under 2 MiB each"),
              std::string::npos)
        << e.what();
  }
}

TEST(StaticFiles, KnowsTheTypesOfThePage) {
  EXPECT_EQ(content_type_for("a/icon.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("data.json"), "application/json");
  EXPECT_EQ(content_type_for("README"), "application/octet-stream");
}

TEST(Router, RoutesTheRootPath) {
  Router router;
  router.add("GET", "/", [](Request&) { return text_response(200, "root"); });
  router.add("GET", "/assets/{file}", [](Request& r) { return text_response(200, r.params.at("file")); });
  Request root;
  root.method = "GET";
  EXPECT_EQ(router.dispatch(root).body, "root");
  Request asset;
  asset.method = "GET";
  asset.segments = {"assets", "app.js"};
  EXPECT_EQ(router.dispatch(asset).body, "app.js");
  Request post;
  post.method = "POST";
  EXPECT_EQ(router.dispatch(post).status, 405);
  EXPECT_EQ(router.describe().front(), "GET /");
}

} // namespace
} // namespace dockerops::http
