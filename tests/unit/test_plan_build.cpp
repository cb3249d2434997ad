#include "../support/error_of.hpp"
#include "base/error.hpp"
#include "plan/planner.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::plan;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

Project chain_project() {
  Project p = make_project({"/p/demo", "", "", ""});
  add_service(p, "app", "FROM demo/mid:latest\n", "");
  add_service(p, "mid", "FROM demo/root\n", "");
  add_service(p, "root", "FROM dockerops/base\n", "");
  add_service(p, "solo", "FROM dockerops/base\n", "");
  return p;
}

} // namespace

TEST(PlanBuild, FromChainsParentsFirst) {
  EXPECT_EQ(plan_build(chain_project(), {}).to_string(), R"(build plan for project demo: 4 operations
wave 1
  #1 build-image demo/root:latest from dockerops/base: parent of mid
  #4 build-image demo/solo:latest from dockerops/base: requested
wave 2
  #2 build-image demo/mid:latest from demo/root after #1: parent of app
wave 3
  #3 build-image demo/app:latest from demo/mid:latest after #2: requested
)");
  // A single service builds its project-local parents too (Reyns' fix), with --no-cache passed on.
  EXPECT_EQ(plan_build(chain_project(), {"mid"}, true).to_string(),
            R"(build plan for project demo: 2 operations
wave 1
  #1 build-image demo/root:latest from dockerops/base (no cache): parent of mid
wave 2
  #2 build-image demo/mid:latest from demo/root (no cache) after #1: requested
)");
}

TEST(PlanBuild, Errors) {
  Project p = chain_project();
  add_service(p, "root", "FROM demo/app\n", "");
  EXPECT_EQ(error_of([&] { plan_build(p, {"app"}); }), "build cycle: app -> mid -> root -> app");
  Project q = chain_project();
  add_service(q, "orphan", "FROM demo/mids\n", "");
  EXPECT_EQ(
      error_of([&] { plan_build(q, {"orphan"}); }),
      "services/orphan/Dockerfile: FROM demo/mids but there is no services/mids; did you mean \"mid\"?");
  EXPECT_EQ(error_of([&] { plan_build(q, {"ap"}); }),
            "service \"ap\" has no folder services/ap with a Dockerfile; did you mean \"app\"?");
  // Not a project at all: the usual cause is a command run in the wrong folder.
  project::DiscoveryOptions elsewhere;
  elsewhere.dir = "/home/u/src";
  Project empty = make_project(elsewhere);
  EXPECT_EQ(error_of([&] { plan_build(empty, {"web"}); }),
            "service \"web\" has no folder services/web with a Dockerfile; /home/u/src/services holds no "
            "service folder: is /home/u/src a dockerops project? (--project-dir DIR, or \"dockerops "
            "install_demo DIR\" for an example)");
  EXPECT_EQ(
      error_of([&] { plan_build(q, {"dockerops-dns"}); }),
      "dockerops-dns is built in (image dockerops/dns); it is built by \"dockerops init\", not by build");
}
