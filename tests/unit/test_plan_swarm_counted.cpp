// Counted instances on a swarm (docs/decisions.md 33): one service of N replicas per counted
// run.conf entry, instance names from the task slot, scale as a replica update.
#include "../support/resolve_world.hpp"
#include "plan/planner.hpp"
#include "project/swarm_names.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::plan;
using dockerops::testing::World;

namespace {

const char* k_counted = R"([
  {"service": "web", "instance": "w", "instances": 3},
  {"service": "base", "instance": "client", "links": [{"name": "WEB", "service": "web", "instance": "w2"}]}
])";

struct SwarmWorld : World {
  explicit SwarmWorld(const std::string& text = k_counted) : World(text) {
    input.swarm = true;
    input.nameserver = "172.18.0.1";
    input.images = {{"demo/web:latest", {"sha256:1111", {}}}, {"demo/base:latest", {"sha256:2222", {}}}};
  }
};

ObservedState one_node() {
  ObservedState observed;
  ObservedSwarm& swarm = observed.swarm.emplace();
  swarm.manager_id = "id-n1";
  swarm.nodes = {{"id-n1", "n1", "manager", "ready", "active", "10.9.0.2", {}}};
  observed.networks = {{"net", "demo_net", "172.30.4.0/24", {{"dockerops.project", "demo"}}}};
  return observed;
}

// The observed service of a unit, `replicas` tasks running.
ObservedService observed_of(const project::SwarmUnit& u, std::uint64_t replicas) {
  ObservedService s;
  s.id = "svc-" + u.instance.container_name;
  s.name = u.instance.container_name;
  s.labels = u.instance.labels;
  s.labels["dockerops.replicas"] = std::to_string(replicas);
  s.replicas = replicas;
  for (std::uint64_t slot = 1; slot <= replicas; ++slot)
    s.tasks.push_back({"task" + std::to_string(slot), static_cast<int>(slot), "id-n1", "running", "running",
                       "started", "10.0.4." + std::to_string(10 + slot), ""});
  return s;
}

std::vector<std::string> kinds(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& op : plan.operations)
    out.push_back(std::string(to_string(op.kind)) + " " + op.target);
  return out;
}

const Operation& op_of(const Plan& plan, OpKind kind, const std::string& target) {
  for (const auto& op : plan.operations)
    if (op.kind == kind && op.target == target)
      return op;
  throw std::runtime_error("no " + std::string(to_string(kind)) + " " + target + " in\n" + plan.to_string());
}

RunOptions options(bool remove_orphans = false, const std::string& registry = "10.9.0.2:5000") {
  return {"172.30.4.0/24", remove_orphans, false, "run", registry};
}

} // namespace

TEST(PlanSwarmCounted, OneServiceOfNReplicasNamedByTaskSlot) {
  SwarmWorld world;
  Plan plan = plan_swarm_run(world.run(), one_node(), options());
  EXPECT_EQ(kinds(plan),
            (std::vector<std::string>{"create-secret demo-authorized-keys", "push-image demo/web:latest",
                                      "create-service demo-web-w", "wait-running demo-web-w",
                                      "push-image demo/base:latest", "create-service demo-base-client",
                                      "wait-running demo-base-client"}))
      << plan.to_string();
  const Operation& web = op_of(plan, OpKind::create_service, "demo-web-w");
  EXPECT_EQ(web.replicas, 3u);
  ASSERT_TRUE(web.instance);
  const auto& r = *web.instance;
  // Swarm expands the templates per task: task k is instance w<k>, as on one host.
  EXPECT_EQ(r.hostname, "web-w{{.Task.Slot}}");
  EXPECT_EQ(r.env.at("INSTANCE").value, "w{{.Task.Slot}}");
  EXPECT_EQ(r.labels.count("dockerops.instance"), 0u);
  EXPECT_EQ(r.labels.count("dockerops.instance-number"), 0u);
  EXPECT_EQ(r.labels.at("dockerops.instance-prefix"), "w");
  EXPECT_EQ(r.labels.at("dockerops.config-hash"), r.config_hash);
  EXPECT_NE(plan.to_string().find("replicas 3"), std::string::npos) << plan.to_string();
  // A link to a counted instance names its service (any of its tasks, by Docker's DNS).
  const auto& client = *op_of(plan, OpKind::create_service, "demo-base-client").instance;
  ASSERT_EQ(client.links.size(), 1u);
  EXPECT_EQ(client.links[0].target_container, "demo-web-w");
  EXPECT_EQ(client.env.at("WEB_SERVICE_IP").pending_link_container, "demo-web-w");
}

TEST(PlanSwarmCounted, TaskInstanceIsPrefixAndSlot) {
  std::map<std::string, std::string> counted = {{"dockerops.instance-prefix", "w"}};
  EXPECT_EQ(project::task_instance(counted, 2), "w2");
  EXPECT_EQ(project::task_instance({{"dockerops.instance-prefix", ""}}, 7), "7");
  // A named instance (also a counted one run as its own service before) keeps its label.
  EXPECT_EQ(project::task_instance({{"dockerops.instance", "w1"}, {"dockerops.instance-prefix", "w"}}, 1),
            "w1");
  EXPECT_EQ(project::counted_service_name("demo", "web", ""), "demo-web");
}

TEST(PlanSwarmCounted, ScaleUpdatesTheReplicasWithoutRecreation) {
  SwarmWorld world;
  auto units = project::swarm_units(world.run());
  ObservedState observed = one_node();
  observed.swarm->files = {{"demo-authorized-keys", true}};
  observed.swarm->services = {observed_of(units[0], 3), observed_of(units[1], 1)};
  // Unchanged: nothing to do.
  Plan same = plan_swarm_run(world.run(), observed, options());
  EXPECT_EQ(kinds(same), (std::vector<std::string>{"keep demo-web-w", "keep demo-base-client"}));

  // scale:web=2 (the runtime count), as core::scale resolves it.
  world.input.counts = {{"web/w", {2, 3}}};
  world.input.selection = {"web", std::nullopt, "", std::string("w")};
  Plan plan = plan_swarm_run(project::resolve(world.input), observed, options());
  EXPECT_EQ(kinds(plan), (std::vector<std::string>{"scale-service demo-web-w", "wait-running demo-web-w"}))
      << plan.to_string();
  const Operation& scale = op_of(plan, OpKind::scale_service, "demo-web-w");
  EXPECT_EQ(scale.replicas, 2u);
  EXPECT_EQ(scale.container_id, "svc-demo-web-w");
  EXPECT_EQ(scale.cause, "scale 3 -> 2");
  EXPECT_NE(plan.to_string().find("scale-service demo-web-w to 2"), std::string::npos) << plan.to_string();

  // A configuration change with a new count: one update carrying the count.
  world.input.images["demo/web:latest"].id = "sha256:3333";
  Plan update = plan_swarm_run(project::resolve(world.input), observed, options());
  EXPECT_EQ(kinds(update),
            (std::vector<std::string>{"push-image demo/web:latest", "update-service demo-web-w",
                                      "wait-running demo-web-w"}));
  EXPECT_EQ(op_of(update, OpKind::update_service, "demo-web-w").replicas, 2u);
}

TEST(PlanSwarmCounted, OneCountedInstanceKeepsTheServiceCount) {
  SwarmWorld world;
  auto units = project::swarm_units(world.run());
  ObservedState observed = one_node();
  observed.swarm->files = {{"demo-authorized-keys", true}};
  observed.swarm->services = {observed_of(units[0], 3)};
  Plan plan = plan_swarm_run(world.run("web", std::string("w2")), observed, options());
  EXPECT_EQ(kinds(plan), (std::vector<std::string>{"keep demo-web-w"})) << plan.to_string();
}

TEST(PlanSwarmCounted, RunAllRemovesTheServicesOfSingleCountedInstances) {
  SwarmWorld world;
  auto units = project::swarm_units(world.run());
  ObservedState observed = one_node();
  observed.swarm->files = {{"demo-authorized-keys", true}};
  // What an older dockerops made: one service per counted instance.
  ObservedService old = observed_of(units[0], 1);
  old.id = "svc-old";
  old.name = "demo-web-w1";
  old.labels["dockerops.instance"] = "w1";
  observed.swarm->services = {observed_of(units[0], 3), observed_of(units[1], 1), old};
  Plan plan = plan_swarm_run(world.run(), observed, options(true));
  EXPECT_EQ(kinds(plan), (std::vector<std::string>{"keep demo-web-w", "keep demo-base-client",
                                                   "remove-service demo-web-w1"}))
      << plan.to_string();
}

TEST(PlanSwarmCounted, PersistentCountedInstancesAreRefused) {
  SwarmWorld world(R"([{"service": "web", "instance": "w", "instances": 2, "instance_type": "persistent"}])");
  std::string error =
      dockerops::testing::error_of([&] { plan_swarm_run(world.run(), one_node(), options()); });
  EXPECT_NE(error.find("run.conf:1: web/w1: counted instances with persistent folders cannot run on a swarm"),
            std::string::npos)
      << error;
}

TEST(PlanSwarmRegistry, WithoutRegistryTheProjectRegistryRunsOnTheManagerFirst) {
  SwarmWorld world(R"([{"service": "web", "instance": "one"}])");
  Plan plan = plan_swarm_run(world.run(), one_node(), options(false, ""));
  EXPECT_EQ(kinds(plan),
            (std::vector<std::string>{"build-image dockerops/registry:latest", "create-service demo-registry",
                                      "wait-running demo-registry", "create-secret demo-authorized-keys",
                                      "push-image demo/web:latest", "create-service demo-web-one",
                                      "wait-running demo-web-one"}))
      << plan.to_string();
  const Operation& registry = op_of(plan, OpKind::create_service, "demo-registry");
  EXPECT_EQ(registry.node, "n1"); // the manager, whose engine holds the image
  EXPECT_EQ(registry.replicas, 1u);
  ASSERT_TRUE(registry.instance);
  EXPECT_EQ(registry.instance->labels.at("dockerops.role"), "registry");
  ASSERT_EQ(registry.instance->ports.size(), 1u);
  EXPECT_EQ(registry.instance->ports[0].host_port, 5000);
  const Operation& push = op_of(plan, OpKind::push_image, "demo/web:latest");
  EXPECT_EQ(push.registry, "10.9.0.2:5000");
  EXPECT_EQ(push.after, std::vector<int>{op_of(plan, OpKind::wait_running, "demo-registry").id});
  EXPECT_EQ(op_of(plan, OpKind::create_service, "demo-web-one").registry, "10.9.0.2:5000");

  // Once it exists (and its image), only the pushes go to it.
  ObservedState observed = one_node();
  observed.images["dockerops/registry:latest"] = {"sha256:4444", {}};
  observed.swarm->services = {observed_of({project::registry_instance("demo"), false, 1}, 1)};
  Plan again = plan_swarm_run(world.run(), observed, options(false, ""));
  EXPECT_EQ(kinds(again),
            (std::vector<std::string>{"create-secret demo-authorized-keys", "push-image demo/web:latest",
                                      "create-service demo-web-one", "wait-running demo-web-one"}));
  // clean:all removes it, then its volume, once no instance is left.
  Filter all;
  Plan clean = plan_swarm_lifecycle(SwarmAction::clean, "demo", observed, all);
  EXPECT_EQ(kinds(clean), (std::vector<std::string>{"remove-network demo_net", "remove-service demo-registry",
                                                    "remove-volume demo-registry-persistent"}))
      << clean.to_string();
}
