// apply/ against the recording fake engine: the order of engine calls for a plan, rollback on
// failure, leftover and foreign name conflicts, and fault injection.
#include "../support/fake_engine.hpp"

#include "apply/container_spec.hpp"
#include "apply/executor.hpp"
#include "apply/extra_labels.hpp"
#include "apply/readiness.hpp"
#include "plan/planner.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>

namespace dockerops::apply {
namespace {

using engine::testing::FakeEngine;

project::ResolvedInstance instance(const std::string& service, const std::string& name,
                                   const std::string& link_to = "") {
  project::ResolvedInstance r;
  r.project = "demo";
  r.service = service;
  r.instance = name;
  r.container_name = "demo-" + service + "-" + name;
  r.hostname = service + "-" + name;
  r.image = "demo/" + service + ":latest";
  r.network = "demo_net";
  r.wait = false;
  r.conf = "run.conf";
  r.env["SERVICE"] = {service, project::EnvSource::builtin, "", ""};
  if (!link_to.empty()) {
    r.links.push_back({"up", service, link_to, "demo-" + service + "-" + link_to});
    r.env["UP_SERVICE_IP"] = {"", project::EnvSource::link, "", "demo-" + service + "-" + link_to};
  }
  r.config_hash = "hash-" + name;
  r.labels = {{"dockerops.project", "demo"},
              {"dockerops.service", service},
              {"dockerops.instance", name},
              {"dockerops.config-hash", r.config_hash}};
  return r;
}

project::ResolvedProject project_of(std::vector<project::ResolvedInstance> instances) {
  project::ResolvedProject p;
  p.name = "demo";
  p.dir = "/nonexistent";
  p.network = "demo_net";
  p.instances = std::move(instances);
  return p;
}

plan::Plan run_plan(FakeEngine& fake, const project::ResolvedProject& p) {
  plan::ObservedState observed;
  for (const auto& [name, c] : fake.containers())
    observed.containers.push_back({c.info.id, name, c.info.labels, c.info.status, c.info.image_id, ""});
  for (const auto& [name, n] : fake.networks())
    observed.networks.push_back({n.id, name, n.subnets.empty() ? "" : n.subnets[0], n.labels});
  return plan::plan_run(p, observed, {"172.30.9.0/24"});
}

ApplyOptions quiet(int jobs = 1) {
  ApplyOptions options;
  options.jobs = jobs;
  options.waiting_jobs = 0; // one operation at a time: the recorded call order is deterministic
  options.extra_labels = {{"dockerops.test", "1"}};
  return options;
}

TEST(ApplyExecutor, CreatesNetworkThenStartsLinkTargetsFirst) {
  FakeEngine fake;
  fake.add_image("demo/web:latest");
  auto p = project_of({instance("web", "b", "a"), instance("web", "a")});
  plan::Plan plan = run_plan(fake, p);
  EXPECT_EQ(plan.summary(), "run: 2 instances: 2 created\n");
  apply_plan(fake, plan, quiet());
  std::vector<std::string> expected{"network-create demo_net", "create demo-web-a", "start demo-web-a",
                                    "create demo-web-b", "start demo-web-b"};
  EXPECT_EQ(fake.calls(), expected);
  auto b = fake.containers().at("demo-web-b");
  EXPECT_NE(std::find(b.spec.env.begin(), b.spec.env.end(), "UP_SERVICE_IP=172.30.9.3"), b.spec.env.end());
  EXPECT_EQ(b.spec.labels.at("dockerops.test"), "1");
  ASSERT_TRUE(b.spec.endpoint.has_value());
  EXPECT_EQ(b.spec.endpoint->links, std::vector<std::string>{"demo-web-a:up"});
  // Addresses come from the plan, from .3 on: the DNS's .2 stays free whatever starts first.
  EXPECT_EQ(b.spec.endpoint->ipv4_address, "172.30.9.4");
  EXPECT_EQ(fake.networks().at("demo_net").labels.at("dockerops.test"), "1");
}

TEST(ApplyExecutor, SecondRunKeepsEverything) {
  FakeEngine fake;
  fake.add_image("demo/web:latest");
  auto p = project_of({instance("web", "a"), instance("web", "b")});
  apply_plan(fake, run_plan(fake, p), quiet(4));
  fake.clear_calls();
  plan::Plan again = run_plan(fake, p);
  EXPECT_EQ(again.summary(), "run: 2 instances: 2 up to date\n");
  apply_plan(fake, again, quiet(4));
  EXPECT_TRUE(fake.calls().empty());
}

TEST(ApplyExecutor, FailureRollsBackWhatThisRunCreated) {
  FakeEngine fake;
  fake.add_image("demo/web:latest");
  fake.fail_on("start demo-web-b", ErrorKind::engine, "boom");
  auto p = project_of({instance("web", "a"), instance("web", "b", "a")});
  try {
    apply_plan(fake, run_plan(fake, p), quiet());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "web/b: cannot start: boom (removed what this run created: demo-web-a, demo-web-b)");
  }
  EXPECT_TRUE(fake.containers().empty());
  auto calls = fake.calls();
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls[calls.size() - 2], "remove demo-web-a");
  EXPECT_EQ(calls.back(), "network-remove demo_net"); // the network this run made goes too (issue 20 item 7)
  EXPECT_TRUE(fake.list_networks({}).empty());
}

TEST(ApplyExecutor, RollbackKeepsANetworkItDidNotCreate) {
  FakeEngine fake;
  fake.add_image("demo/web:latest");
  fake.create_network({"demo_net", "bridge", {}, "172.30.9.0/24", "", false});
  fake.fail_on("start demo-web-a", ErrorKind::engine, "boom");
  auto p = project_of({instance("web", "a")});
  EXPECT_THROW(apply_plan(fake, run_plan(fake, p), quiet()), Error);
  EXPECT_EQ(fake.list_networks({}).size(), 1u);
}

TEST(ApplyExecutor, LeftoverOfOursIsReplacedForeignNameIsAConflict) {
  FakeEngine fake;
  fake.add_image("demo/web:latest");
  fake.create_network({"demo_net", "bridge", {}, "172.30.9.0/24", "", false});
  // A leftover with our labels but unknown to the plan (observed before it was made).
  auto plan = run_plan(fake, project_of({instance("web", "a")}));
  engine::ContainerSpec leftover{};
  leftover.name = "demo-web-a";
  leftover.image = "demo/web:latest";
  leftover.labels = {
      {"dockerops.project", "demo"}, {"dockerops.service", "web"}, {"dockerops.instance", "a"}};
  fake.create_container(leftover);
  fake.clear_calls();
  apply_plan(fake, plan, quiet());
  std::vector<std::string> expected{"create demo-web-a", "remove demo-web-a", "create demo-web-a",
                                    "start demo-web-a"};
  EXPECT_EQ(fake.calls(), expected);

  FakeEngine other;
  other.add_image("demo/web:latest");
  other.create_network({"demo_net", "bridge", {}, "172.30.9.0/24", "", false});
  auto plan2 = run_plan(other, project_of({instance("web", "a")}));
  engine::ContainerSpec foreign{};
  foreign.name = "demo-web-a";
  foreign.image = "demo/web:latest";
  other.create_container(foreign);
  try {
    apply_plan(other, plan2, quiet());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    EXPECT_NE(std::string(e.what()).find("taken by a container dockerops does not manage"),
              std::string::npos);
  }
  EXPECT_EQ(other.containers().count("demo-web-a"), 1u);
}

// Its stop waits (up to `bound`) until `expected` stops are in flight together and records the most
// seen at once: a stop must not hold a daemon-heavy slot while it waits for the process to exit.
class SlowStopEngine : public FakeEngine {
public:
  SlowStopEngine(int expected, std::chrono::milliseconds bound) : m_expected(expected), m_bound(bound) {}
  void stop_container(const std::string& id, int timeout) override {
    {
      std::unique_lock lock(m_stop_mutex);
      m_max_in_flight = std::max(m_max_in_flight, ++m_in_flight);
      m_changed.notify_all();
      m_changed.wait_for(lock, m_bound, [&] { return m_max_in_flight >= m_expected; });
      --m_in_flight;
    }
    FakeEngine::stop_container(id, timeout);
  }
  int max_in_flight() {
    std::lock_guard lock(m_stop_mutex);
    return m_max_in_flight;
  }

private:
  std::mutex m_stop_mutex;
  std::condition_variable m_changed;
  int m_expected;
  std::chrono::milliseconds m_bound;
  int m_in_flight = 0;
  int m_max_in_flight = 0;
};

plan::Plan clean_plan_of_three(FakeEngine& fake) {
  fake.add_image("demo/web:latest");
  apply_plan(fake,
             run_plan(fake, project_of({instance("web", "a"), instance("web", "b"), instance("web", "c")})),
             quiet());
  plan::ObservedState observed;
  for (const auto& [name, c] : fake.containers())
    observed.containers.push_back({c.info.id, name, c.info.labels, c.info.status, c.info.image_id, ""});
  return plan::plan_clean("demo", observed, {});
}

TEST(ApplyExecutor, StopsWaitBesidesTheDaemonHeavyJobs) {
  SlowStopEngine fake(3, std::chrono::seconds(10)); // the bound is only reached when the test fails
  plan::Plan plan = clean_plan_of_three(fake);
  auto options = quiet(1);
  options.waiting_jobs = 8;
  apply_plan(fake, plan, options);
  EXPECT_EQ(fake.max_in_flight(), 3); // all three stops waited together although jobs = 1
  EXPECT_TRUE(fake.containers().empty());
}

TEST(ApplyExecutor, WithoutWaitingJobsEverythingRunsOneAtATime) {
  SlowStopEngine fake(2, std::chrono::milliseconds(100)); // each stop gives a second one 100 ms to join
  plan::Plan plan = clean_plan_of_three(fake);
  apply_plan(fake, plan, quiet(1));
  EXPECT_EQ(fake.max_in_flight(), 1);
  EXPECT_TRUE(fake.containers().empty());
}

TEST(ApplyExecutorDeathTest, FaultInjectionEndsTheProcessAfterNOperations) {
  FakeEngine fake;
  fake.add_image("demo/web:latest");
  auto plan = run_plan(fake, project_of({instance("web", "a"), instance("web", "b")}));
  EXPECT_EXIT(
      {
        FaultInjector faults{2};
        auto options = quiet();
        options.faults = &faults;
        apply_plan(fake, plan, options);
      },
      ::testing::ExitedWithCode(137), "fault injection: stopping after 2 operations");
}

TEST(ApplyExtraLabels, ParsesPairsAndRejectsGarbage) {
  auto labels = parse_extra_labels("dockerops.test=1, a=b=c");
  EXPECT_EQ(labels.at("dockerops.test"), "1");
  EXPECT_EQ(labels.at("a"), "b=c");
  EXPECT_THROW(parse_extra_labels("novalue"), Error);
}

TEST(ApplyReadiness, ScansTheEntrypointLines) {
  std::string failure;
  EXPECT_EQ(scan_ready("[dockerops] entrypoint 20-a.sh\nhello\n", failure), LogVerdict::pending);
  EXPECT_EQ(scan_ready("x\r\n[dockerops] ready\r\n", failure), LogVerdict::ready);
  EXPECT_EQ(scan_ready("[dockerops] entrypoint 20-a.sh failed: exit 3\n", failure), LogVerdict::failed);
  EXPECT_EQ(failure, "entrypoint 20-a.sh failed: exit 3");
}

// A started container "demo-web-a" that printed the ready line.
void start_ready_container(FakeEngine& fake) {
  fake.add_image("demo/web:latest");
  engine::ContainerSpec spec{};
  spec.name = "demo-web-a";
  spec.image = "demo/web:latest";
  fake.create_container(spec);
  fake.start_container("demo-web-a");
  fake.set_logs("demo-web-a", "[dockerops] ready\n");
}

TEST(ApplyReadiness, WaitsForTheReadyLineOrReportsTheFailure) {
  FakeEngine fake;
  start_ready_container(fake);
  EXPECT_NO_THROW(wait_ready(fake, {"web/a", "demo-web-a", true, false, 5, {}, ""}));
  fake.set_logs("demo-web-a", "[dockerops] entrypoint 20-x.sh failed: exit 4\n");
  try {
    wait_ready(fake, {"web/a", "demo-web-a", true, false, 5, {}, ""});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "web/a: entrypoint 20-x.sh failed: exit 4; see dockerops logs:web,instance=a");
  }
}

TEST(ApplyReadiness, ASeedCommandThatExitsAtOnceIsNotReady) {
  FakeEngine fake;
  start_ready_container(fake);
  EXPECT_NO_THROW(wait_ready(fake, {"web/a", "demo-web-a", true, false, 5, {}, "sleep infinity"}));
  fake.stop_container("demo-web-a", 0); // exited (code 0) right after the ready line
  try {
    wait_ready(fake, {"web/a", "demo-web-a", true, false, 5, {}, "true"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "web/a: seed_command \"true\" exited with code 0 right after the start; its last output: "
              "\"[dockerops] ready\"; see dockerops logs:web,instance=a");
  }
  // Without a seed command the image's own command (supervisord) follows the ready line as before.
  EXPECT_NO_THROW(wait_ready(fake, {"web/a", "demo-web-a", true, false, 5, {}, ""}));
}

} // namespace
} // namespace dockerops::apply
