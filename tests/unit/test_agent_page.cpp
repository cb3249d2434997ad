// The status page's routes: public, from memory, with a policy that keeps the browser on the agent.

#include "agent/page.hpp"

#include "../support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace dockerops::agent {
namespace {

TEST(Page, ServesItsFilesWithAPolicyAndNothingElseWithoutToken) {
  dockerops::testing::TempDir dir;
  dir.write("index.html", "<!doctype html><title>x</title>");
  dir.write("assets/app.js", "export {};");
  http::Router router;
  add_page_routes(router, load_page(dir.path()));
  http::Request root;
  root.method = "GET";
  auto page = router.dispatch(root);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  bool has_policy = false;
  for (const auto& [name, value] : page.headers)
    has_policy = has_policy || (name == "Content-Security-Policy" &&
                                value.find("connect-src 'self'") != std::string::npos &&
                                value.find("default-src 'none'") != std::string::npos);
  EXPECT_TRUE(has_policy);
  http::Request asset = root;
  asset.segments = {"assets", "app.js"};
  EXPECT_EQ(router.dispatch(asset).body, "export {};");
  asset.segments = {"assets", "nothing.js"};
  EXPECT_EQ(router.dispatch(asset).status, 404);

  EXPECT_TRUE(is_page_path("/"));
  EXPECT_TRUE(is_page_path("/assets/app.js"));
  for (const char* path : {"/api/v1/state", "/metrics", "/index.html", "/assetsx", "//"})
    EXPECT_FALSE(is_page_path(path)) << path;
}

TEST(Page, WithoutItsFilesTheRootSaysWhy) {
  dockerops::testing::TempDir dir;
  EXPECT_EQ(load_page(dir.path() / "missing"), nullptr);
  dir.write("assets/app.js", "");
  EXPECT_EQ(load_page(dir.path()), nullptr); // no index.html
  http::Router router;
  add_page_routes(router, nullptr);
  http::Request root;
  root.method = "GET";
  auto answer = router.dispatch(root);
  EXPECT_EQ(answer.status, 404);
  EXPECT_NE(answer.body.find("this agent has no status page"), std::string::npos);
}

} // namespace
} // namespace dockerops::agent
