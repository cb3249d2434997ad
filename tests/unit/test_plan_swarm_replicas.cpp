// plan::swarm_replicas: the replicas ps and the agent show on a swarm, from recorded observations.
#include "plan/swarm_replicas.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::plan;

namespace {

ObservedSwarm two_nodes() {
  ObservedSwarm swarm;
  swarm.nodes = {{"id-n1", "n1", "manager", "ready", "active", "10.9.0.2", {}},
                 {"id-n2", "n2", "worker", "ready", "active", "10.9.0.3", {}}};
  return swarm;
}

ObservedService service(const std::string& name, std::map<std::string, std::string> labels) {
  ObservedService s;
  s.id = "svc-" + name;
  s.name = name;
  s.labels = std::move(labels);
  return s;
}

ObservedTask task(int slot, const std::string& node, const std::string& state, const std::string& desired) {
  return {"t" + std::to_string(slot) + node + state,
          slot,
          node.empty() ? "" : "id-" + node,
          state,
          desired,
          "",
          "",
          ""};
}

// "instance state node" per replica.
std::vector<std::string> lines(const ObservedSwarm& swarm) {
  std::vector<std::string> out;
  for (const auto& r : swarm_replicas(swarm))
    out.push_back(fmt::format("{} {} {}", r.instance, r.state, r.node.empty() ? "-" : r.node));
  return out;
}

} // namespace

TEST(SwarmReplicas, OnePerSlotFromItsCurrentTask) {
  ObservedSwarm swarm = two_nodes();
  auto web = service("demo-web-w", {{"dockerops.service", "web"}, {"dockerops.instance-prefix", "w"}});
  // Slot 1 is being updated: its new task runs, the old one is going; slot 2's old task is done.
  web.tasks = {task(1, "n2", "running", "running"), task(1, "n1", "preparing", "running"),
               task(2, "n1", "running", "running"), task(2, "n2", "shutdown", "shutdown")};
  swarm.services.push_back(web);
  auto dns = service("demo-dockerops-dns-master",
                     {{"dockerops.service", "dockerops-dns"}, {"dockerops.instance", "master"}});
  dns.global = true;
  dns.tasks = {task(0, "n1", "running", "running"), task(0, "n2", "running", "running")};
  swarm.services.push_back(dns);
  EXPECT_EQ(lines(swarm), (std::vector<std::string>{"w1 running n2", "w2 running n1", "master running n1",
                                                    "master running n2"}));
}

TEST(SwarmReplicas, StoppedPendingStartingAndWaitingForItsNode) {
  ObservedSwarm swarm = two_nodes();
  swarm.nodes[1].state = "down";
  auto stopped =
      service("demo-web-one",
              {{"dockerops.service", "web"}, {"dockerops.instance", "one"}, {"dockerops.stopped", "true"}});
  auto fresh = service("demo-web-w", {{"dockerops.service", "web"}, {"dockerops.instance-prefix", "w"}});
  auto restarting = service("demo-web-two", {{"dockerops.service", "web"}, {"dockerops.instance", "two"}});
  restarting.tasks = {task(1, "n1", "failed", "shutdown")};
  // db/main is pinned to n2, which is down: its task there still says running, desired shut down.
  auto db = service("demo-db-main",
                    {{"dockerops.service", "db"}, {"dockerops.instance", "main"}, {"dockerops.node", "n2"}});
  db.tasks = {task(1, "n2", "running", "shutdown")};
  swarm.services = {stopped, fresh, restarting, db};
  EXPECT_EQ(lines(swarm), (std::vector<std::string>{"one stopped -", "w* pending -", "two starting n1",
                                                    "main waiting-for-node n2"}));
  // The node back and the task running again: running there.
  swarm.nodes[1].state = "ready";
  swarm.services[3].tasks = {task(1, "n2", "running", "running")};
  EXPECT_EQ(lines(swarm).back(), "main running n2");
}
