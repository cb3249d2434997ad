#include "plan/planner.hpp"

#include <gtest/gtest.h>

using namespace dockerops::plan;

namespace {

ObservedContainer make(const std::string& project, const std::string& service, const std::string& instance,
                       const std::string& state) {
  return {"id-" + service + "-" + instance,
          project + "-" + service + "-" + instance,
          {{"dockerops.project", project}, {"dockerops.service", service}, {"dockerops.instance", instance}},
          state,
          "sha256:x",
          ""};
}

ObservedState demo_state() {
  ObservedState s;
  s.containers = {make("demo", "dockerops-dns", "master", "running"), make("demo", "web", "one", "running"),
                  make("demo", "web", "two", "exited"), make("demo", "webapp", "a", "running"),
                  make("other", "web", "one", "running")};
  return s;
}

} // namespace

TEST(PlanLifecycle, StopDeregistersAndStopsTheDnsLast) {
  EXPECT_EQ(plan_stop("demo", demo_state(), {}).to_string(), R"(stop plan for project demo: 5 operations
wave 1
  #1 dns-deregister demo-web-one: before the stop
  #3 dns-deregister demo-webapp-a: before the stop
wave 2
  #2 stop demo-web-one after #1: running
  #4 stop demo-webapp-a after #3: running
wave 3
  #5 stop demo-dockerops-dns-master after #2 #4: running
)");
}

TEST(PlanLifecycle, CleanWithPrefixFilter) {
  Filter filter;
  filter.service = "web";
  EXPECT_EQ(plan_clean("demo", demo_state(), filter).to_string(), R"(clean plan for project demo: 4 operations
wave 1
  #1 dns-deregister demo-web-one: before the stop
  #4 remove demo-web-two: container is exited
wave 2
  #2 stop demo-web-one after #1: running
wave 3
  #3 remove demo-web-one after #2: stopped
)");
  filter.service = "we*";
  filter.instance = "a";
  EXPECT_EQ(plan_clean("demo", demo_state(), filter).operations.size(), 3u);
  filter.service = "nothing";
  EXPECT_EQ(plan_clean("demo", demo_state(), filter).to_string(),
            "clean plan for project demo: 0 operations\nnotice: nothing to do: no matching container\n");
}

TEST(PlanLifecycle, GroupMembers) {
  Filter filter;
  filter.group = "front";
  filter.members = {{"webapp", "a"}};
  auto plan = plan_stop("demo", demo_state(), filter);
  ASSERT_EQ(plan.operations.size(), 2u);
  EXPECT_EQ(plan.operations[1].target, "demo-webapp-a");
}

TEST(PlanLifecycle, StartRegistersAfterTheDns) {
  ObservedState s = demo_state();
  s.containers[0].state = "exited";
  EXPECT_EQ(plan_start("demo", s, {}).to_string(), R"(start plan for project demo: 3 operations
wave 1
  #1 start demo-dockerops-dns-master: container is exited
wave 2
  #2 start demo-web-two after #1: container is exited
wave 3
  #3 dns-register demo-web-two APPEND after #2: after the start
)");
}

TEST(PlanLifecycle, RestartStopsThenStartsTheSameContainers) {
  EXPECT_EQ(plan_restart("demo", demo_state(), {}).to_string(),
            R"(restart plan for project demo: 12 operations
wave 1
  #1 dns-deregister demo-web-one: before the stop
  #3 dns-deregister demo-webapp-a: before the stop
wave 2
  #2 stop demo-web-one after #1: running
  #4 stop demo-webapp-a after #3: running
wave 3
  #5 stop demo-dockerops-dns-master after #2 #4: running
wave 4
  #6 start demo-dockerops-dns-master after #5: restart
wave 5
  #7 start demo-web-one after #5 #6: restart
  #9 start demo-web-two after #5 #6: container was exited
  #11 start demo-webapp-a after #5 #6: restart
wave 6
  #8 dns-register demo-web-one APPEND after #7: after the start
  #10 dns-register demo-web-two APPEND after #9: after the start
  #12 dns-register demo-webapp-a APPEND after #11: after the start
)");
  Filter filter;
  filter.service = "web";
  filter.instance = "one";
  EXPECT_EQ(plan_restart("demo", demo_state(), filter).to_string(),
            R"(restart plan for project demo: 4 operations
wave 1
  #1 dns-deregister demo-web-one: before the stop
wave 2
  #2 stop demo-web-one after #1: running
wave 3
  #3 start demo-web-one after #2: restart
wave 4
  #4 dns-register demo-web-one APPEND after #3: after the start
)");
  filter.service = "nothing";
  EXPECT_EQ(plan_restart("demo", demo_state(), filter).to_string(),
            "restart plan for project demo: 0 operations\nnotice: nothing to do: no matching container\n");
}

TEST(PlanLifecycle, CleanKeepsOrphansAsOperationsAndRemovesTheNetworkWhenNothingIsLeft) {
  ObservedState s = demo_state();
  s.networks = {{"net-id", "demo_net", "172.30.4.0/24", {{"dockerops.project", "demo"}}}};
  Filter filter;
  filter.keep_orphans = true;
  filter.conf_members = {{"dockerops-dns", "master"}, {"web", "one"}, {"web", "two"}};
  // webapp/a is not in the run conf: kept, so the network stays.
  EXPECT_EQ(plan_clean("demo", s, filter).to_string(), R"(clean plan for project demo: 7 operations
wave 1
  #1 dns-deregister demo-web-one: before the stop
  #4 remove demo-web-two: container is exited
  #5 keep demo-webapp-a: not in the run conf (remove_orphans=true removes it too)
wave 2
  #2 stop demo-web-one after #1: running
wave 3
  #3 remove demo-web-one after #2: stopped
wave 4
  #6 stop demo-dockerops-dns-master after #3 #4: running
wave 5
  #7 remove demo-dockerops-dns-master after #6: stopped
)");
  // Everything removed: the project network goes last (the other project's container is not ours).
  filter.keep_orphans = false;
  std::string text = plan_clean("demo", s, filter).to_string();
  EXPECT_NE(
      text.find("  #10 remove-network demo_net after #3 #4 #7 #9: no container of the project is left\n"),
      std::string::npos)
      << text;
  // A DNS that is stopped cannot remove the records of the instances cleaned: say so.
  s.containers[0].state = "exited";
  filter.service = "web";
  Plan stale = plan_clean("demo", s, filter);
  ASSERT_EQ(stale.warnings.size(), 1u);
  EXPECT_EQ(stale.warnings[0],
            "dockerops-dns is not running: the records of 1 instance stay in its zone; run or "
            "dns:sync will remove them");
}
