// The agent on a swarm (docs/decisions.md 38): instances from the manager's services and tasks,
// relocation detection between observations, waiting-for-node and node events, and the figures
// and state the API serves from them.

#include "agent/snapshot.hpp"
#include "agent/swarm_follow.hpp"

#include <gtest/gtest.h>

namespace dockerops::agent {
namespace {

plan::ObservedNode node(const std::string& id, const std::string& state = "ready") {
  return {id, "host-" + id, "worker", state, "active", "10.0.0." + id, {}};
}

plan::ObservedTask task(const std::string& id, const std::string& node_id,
                        const std::string& state = "running", const std::string& desired = "running",
                        int slot = 1) {
  plan::ObservedTask t;
  t.id = id;
  t.slot = slot;
  t.node_id = node_id;
  t.state = state;
  t.desired_state = desired;
  t.ip = "10.1.0." + id;
  t.container_id = "c" + id;
  return t;
}

plan::ObservedService service(const std::string& svc, const std::string& instance,
                              std::vector<plan::ObservedTask> tasks) {
  plan::ObservedService s;
  s.id = "s-" + svc + "-" + instance;
  s.name = "demo-" + svc + "-" + instance;
  s.labels = {{"dockerops.project", "demo"}, {"dockerops.service", svc}, {"dockerops.instance", instance}};
  s.replicas = 1;
  s.tasks = std::move(tasks);
  return s;
}

struct Bed {
  plan::ObservedSwarm swarm;
  SwarmMemory memory;
  std::vector<Event> observe() { return follow_swarm(memory, swarm_instances(swarm), swarm.nodes); }
};

Bed three_nodes(std::vector<plan::ObservedService> services) {
  Bed bed;
  bed.swarm.nodes = {node("1"), node("2"), node("3")};
  bed.swarm.services = std::move(services);
  return bed;
}

TEST(SwarmInstances, OneRowPerReplicaWithItsNodeAndAddress) {
  Bed bed = three_nodes({service("web", "one", {task("11", "2"), task("10", "1", "shutdown", "shutdown")}),
                         service("db", "main", {})});
  plan::ObservedService registry = service("registry", "main", {task("20", "1")});
  registry.labels["dockerops.role"] = "registry";
  bed.swarm.services.push_back(registry);
  auto instances = swarm_instances(bed.swarm);
  ASSERT_EQ(instances.size(), 2u); // the registry is no instance
  EXPECT_EQ(instances[0].service, "db");
  EXPECT_EQ(instances[0].state, "pending");
  EXPECT_EQ(instances[1].instance, "one");
  EXPECT_EQ(instances[1].state, "running");
  EXPECT_EQ(instances[1].node, "host-2");
  EXPECT_EQ(instances[1].ip, "10.1.0.11");
  EXPECT_EQ(instances[1].container_id, "c11");
}

TEST(SwarmInstances, CountedReplicasAreNamedFromTheirSlot) {
  plan::ObservedService web =
      service("web", "w", {task("1", "1", "running", "running", 1), task("2", "2", "running", "running", 2)});
  web.labels["dockerops.instance-prefix"] = "w";
  web.labels.erase("dockerops.instance"); // a counted service names no instance of its own
  web.replicas = 2;
  Bed bed = three_nodes({web});
  auto instances = swarm_instances(bed.swarm);
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances[0].instance, "w1");
  EXPECT_EQ(instances[1].instance, "w2");
  EXPECT_EQ(instances[1].node, "host-2");
}

TEST(SwarmFollow, ARunningTaskOnAnotherNodeIsOneRelocation) {
  Bed bed = three_nodes({service("web", "one", {task("1", "2")})});
  EXPECT_TRUE(bed.observe().empty()); // the first observation only fills the memory
  // Node 2 goes down: the old task's desired state becomes shutdown (its state stays running, the
  // node cannot say otherwise) and a new one is starting on node 3.
  bed.swarm.nodes[1].state = "down";
  bed.swarm.services[0].tasks = {task("2", "3", "starting"), task("1", "2", "running", "shutdown")};
  auto events = bed.observe();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "node-down");
  EXPECT_EQ(events[0].details["node"], "host-2");
  EXPECT_EQ(relocation_count(events), 0u);
  bed.swarm.services[0].tasks = {task("2", "3"), task("1", "2", "running", "shutdown")};
  events = bed.observe();
  ASSERT_EQ(relocation_count(events), 1u);
  EXPECT_EQ(events[0].service, "web");
  EXPECT_EQ(events[0].instance, "one");
  EXPECT_EQ(events[0].details["old_node"], "host-2");
  EXPECT_EQ(events[0].details["new_node"], "host-3");
  EXPECT_EQ(events[0].details["ip"], "10.1.0.2");
  EXPECT_TRUE(bed.observe().empty()); // said once
  // The node returns and its old task is shut down: nothing moved.
  bed.swarm.nodes[1].state = "ready";
  bed.swarm.services[0].tasks = {task("2", "3"), task("1", "2", "shutdown", "shutdown")};
  events = bed.observe();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "node-ready");
}

TEST(SwarmFollow, ACountedReplicaRescheduledAfterItsRestartDelayIsOneRelocation) {
  plan::ObservedService web =
      service("web", "w",
              {task("1", "1", "running", "running", 1), task("2", "2", "running", "running", 2),
               task("3", "3", "running", "running", 3)});
  web.labels["dockerops.instance-prefix"] = "w";
  web.labels.erase("dockerops.instance");
  web.replicas = 3;
  Bed bed = three_nodes({web});
  bed.observe();
  // Node 2 goes down: Swarm shuts its task down and, with a restart delay, creates the slot's new
  // task desired "ready" (held until the delay ends): the slot has no task desired running then.
  bed.swarm.nodes[1].state = "down";
  bed.swarm.services[0].tasks = {
      task("1", "1", "running", "running", 1), task("2", "2", "running", "shutdown", 2),
      task("4", "3", "ready", "ready", 2), task("3", "3", "running", "running", 3)};
  auto instances = swarm_instances(bed.swarm);
  ASSERT_EQ(instances.size(), 3u);
  EXPECT_EQ(instances[1].instance, "w2");
  EXPECT_EQ(instances[1].state, "starting");
  EXPECT_EQ(relocation_count(bed.observe()), 0u);
  bed.swarm.services[0].tasks[2] = task("4", "3", "running", "running", 2);
  auto events = bed.observe();
  ASSERT_EQ(relocation_count(events), 1u);
  EXPECT_EQ(events[0].instance, "w2");
  EXPECT_EQ(events[0].details["old_node"], "host-2");
  EXPECT_EQ(events[0].details["new_node"], "host-3");
}

TEST(SwarmFollow, ARestartOnTheSameNodeIsNoRelocation) {
  Bed bed = three_nodes({service("web", "one", {task("1", "2")})});
  bed.observe();
  bed.swarm.services[0].tasks = {task("2", "2", "starting"), task("1", "2", "failed", "shutdown")};
  EXPECT_TRUE(bed.observe().empty());
  bed.swarm.services[0].tasks = {task("2", "2"), task("1", "2", "failed", "shutdown")};
  EXPECT_TRUE(bed.observe().empty());
}

TEST(SwarmFollow, WhatMovedBeforeTheAgentStartedIsNotCounted) {
  Bed bed = three_nodes({service("web", "one", {task("2", "3"), task("1", "2", "running", "shutdown")})});
  bed.swarm.nodes[1].state = "down";
  auto events = bed.observe();
  ASSERT_EQ(events.size(), 1u); // the node's state, as it is now
  EXPECT_EQ(events[0].action, "node-down");
}

TEST(SwarmFollow, AStoppedThenStartedInstanceMayLandAnywhere) {
  Bed bed = three_nodes({service("web", "one", {task("1", "2")})});
  bed.observe();
  bed.swarm.services[0].labels["dockerops.stopped"] = "true";
  bed.swarm.services[0].tasks = {task("1", "2", "shutdown", "shutdown")};
  EXPECT_TRUE(bed.observe().empty());
  bed.swarm.services[0].labels.erase("dockerops.stopped");
  bed.swarm.services[0].tasks = {task("2", "1"), task("1", "2", "shutdown", "shutdown")};
  EXPECT_TRUE(bed.observe().empty());
}

TEST(SwarmFollow, APinnedInstanceWaitsForItsNode) {
  plan::ObservedService db = service("db", "main", {task("1", "2")});
  db.labels["dockerops.node"] = "host-2";
  Bed bed = three_nodes({db});
  bed.observe();
  bed.swarm.nodes[1].state = "down";
  bed.swarm.services[0].tasks = {task("2", "", "pending"), task("1", "2", "running", "shutdown")};
  auto instances = swarm_instances(bed.swarm);
  ASSERT_EQ(instances.size(), 1u);
  EXPECT_EQ(instances[0].state, "waiting-for-node");
  EXPECT_EQ(instances[0].node, "host-2");
  auto events = bed.observe();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].action, "node-down");
  EXPECT_EQ(events[1].action, "waiting-for-node");
  EXPECT_EQ(events[1].details["node"], "host-2");
  EXPECT_TRUE(bed.observe().empty()); // said once
  bed.swarm.nodes[1].state = "ready";
  bed.swarm.services[0].tasks = {task("2", "2"), task("1", "2", "shutdown", "shutdown")};
  events = bed.observe();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "node-ready");
  EXPECT_EQ(relocation_count(events), 0u);
}

TEST(SwarmFollow, AGlobalServiceNeverMoves) {
  plan::ObservedService dns =
      service("dockerops-dns", "master",
              {task("1", "1", "running", "running", 0), task("2", "2", "running", "running", 0)});
  dns.global = true;
  Bed bed = three_nodes({dns});
  bed.observe();
  EXPECT_EQ(swarm_instances(bed.swarm).size(), 2u);
  bed.swarm.services[0].tasks = {task("2", "2", "running", "running", 0),
                                 task("3", "3", "running", "running", 0)};
  EXPECT_TRUE(bed.observe().empty());
}

TEST(SwarmFollow, TheApiShowsTheNodeAndTheRelocations) {
  Bed bed = three_nodes({service("web", "one", {task("1", "2")})});
  Snapshot snapshot;
  snapshot.project = "demo";
  for (auto& o : swarm_instances(bed.swarm)) {
    InstanceView view;
    view.observed = o;
    snapshot.instances.push_back(view);
  }
  auto state = state_json(snapshot);
  EXPECT_EQ(state["services"][0]["instances"][0]["node"], "host-2");
  AgentFigures figures;
  figures.relocations = 1;
  EXPECT_EQ(stats_json(snapshot, figures)["relocations"], 1);
  EXPECT_NE(metrics_text(snapshot, figures).find("dockerops_instance_relocations_total{project=\"demo\"} 1"),
            std::string::npos);
}

} // namespace
} // namespace dockerops::agent
