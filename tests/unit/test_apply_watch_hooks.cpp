#include "apply/watch_hooks.hpp"
#include "apply/watch_state.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

using namespace dockerops::apply;

namespace {

WatchCall call() {
  WatchCall c;
  c.watcher = "lb/main";
  c.service = "web";
  c.event = "change";
  c.members = {{"w1", "172.30.4.3"}, {"w3", "172.30.4.10"}};
  c.added = {"172.30.4.10"};
  c.removed = {"172.30.4.4"};
  return c;
}

} // namespace

TEST(WatchHooks, JsonCarriesTheSameAsTheEnvironment) {
  EXPECT_EQ(
      watch_json(call()),
      R"({"added":["172.30.4.10"],"event":"change","instances":{"w1":"172.30.4.3","w3":"172.30.4.10"},)"
      R"("members":["172.30.4.3","172.30.4.10"],"removed":["172.30.4.4"],"service":"web","watcher":"lb/main"})");
  auto spec = watch_exec_spec(call(), 7);
  EXPECT_EQ(spec.user, "dockerops");
  EXPECT_EQ(spec.env, (std::vector<std::string>{"WATCHED_SERVICE=web", "MEMBERS=172.30.4.3 172.30.4.10",
                                                "ADDED=172.30.4.10", "REMOVED=172.30.4.4",
                                                "MEMBER_INSTANCES=w1=172.30.4.3 w3=172.30.4.10",
                                                "WATCH_EVENT=change", "WATCHER=lb/main"}));
  ASSERT_EQ(spec.cmd.size(), 6u);
  EXPECT_EQ(spec.cmd[0], "/bin/sh");
  EXPECT_EQ(spec.cmd[4], watch_json(call()));
  EXPECT_EQ(spec.cmd[5], "7");
}

TEST(WatchHooks, FailureNamesTheHookAndKeepsTheLastLines) {
  EXPECT_FALSE(watch_failure(0, "rendered\n"));
  std::string output;
  for (int i = 1; i <= 12; ++i)
    output += "line " + std::to_string(i) + "\n";
  output += "\ndockerops-watch-failed: 3 20-reload\n";
  auto f = watch_failure(3, output);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->hook, "20-reload");
  EXPECT_EQ(f->exit_code, 3);
  ASSERT_EQ(f->output.size(), k_watch_output_lines);
  EXPECT_EQ(f->output.front(), "line 3");
  EXPECT_EQ(f->output.back(), "line 12");
  // No marker: the runner itself failed (no such user, no /bin/sh).
  auto g = watch_failure(126, "unable to find user dockerops\n");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->hook, "");
  EXPECT_EQ(g->output, (std::vector<std::string>{"unable to find user dockerops"}));
  EXPECT_EQ(describe_exit(124, 30), "timed out after 30 s");
  EXPECT_EQ(describe_exit(2, 30), "exited 2");
}

TEST(WatchState, DeliveriesAndFailuresPerContainer) {
  char tmpl[] = "/tmp/watch-state-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::filesystem::path dir(tmpl);
  auto state = watch_state_dir(dir);
  EXPECT_TRUE(read_watch_state(state).empty());
  record_watch_delivery(state, "lb", "main", "c1", "web", {"172.30.4.3"});
  record_watch_failure(state, "lb", "main", "c1", "db", {"10-x", 1, {"boom"}});
  record_watch_failure(state, "lb", "main", "c1", "db", {"10-x", 1, {"boom"}});
  auto read = read_watch_state(state);
  ASSERT_EQ(read.count("lb/main"), 1u);
  EXPECT_EQ(read["lb/main"].container_id, "c1");
  EXPECT_TRUE(read["lb/main"].services["web"].delivered);
  EXPECT_EQ(read["lb/main"].services["web"].members, (std::vector<std::string>{"172.30.4.3"}));
  EXPECT_FALSE(read["lb/main"].services["db"].delivered);
  EXPECT_EQ(read["lb/main"].services["db"].failures, 2);
  // A new container of the instance starts afresh.
  record_watch_delivery(state, "lb", "main", "c2", "db", {});
  read = read_watch_state(state);
  EXPECT_EQ(read["lb/main"].container_id, "c2");
  EXPECT_EQ(read["lb/main"].services.count("web"), 0u);
  EXPECT_TRUE(read["lb/main"].services["db"].delivered);
  std::filesystem::remove_all(dir);
}
