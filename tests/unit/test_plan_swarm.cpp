// The swarm planners (docs/decisions.md 33): plan_swarm_run / plan_swarm_up and
// plan_swarm_lifecycle, golden-style.
#include "../support/error_of.hpp"
#include "base/error.hpp"
#include "plan/planner.hpp"
#include "project/resolve.hpp"
#include "project/swarm_names.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::plan;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

// A DNS, a web instance linked to a persistent db in group "data".
const char* k_conf = R"([
  {"service": "dockerops-dns", "instance": "master"},
  {"service": "web", "instance": "one", "links": [{"name": "DB", "service": "db", "instance": "main"}]},
  {"service": "db", "instance": "main", "instance_type": "persistent", "group": "data"}
])";

Project demo_project() {
  Project p = make_project({"/p/demo", "", "", ""});
  add_service(p, "web", "FROM dockerops/base\n", "");
  add_service(p, "db", "FROM dockerops/base\n", "");
  return p;
}

ResolvedProject resolve_swarm(const char* conf_text = k_conf) {
  static Project project = demo_project();
  static RunConf conf;
  conf = parse_run_conf(conf_text, "run.conf");
  static HostConf host_conf;
  static HostInfo host = [] {
    HostInfo h;
    h.hostname = "testhost";
    h.random_name = [] { return std::string("rnd00001"); };
    return h;
  }();
  ResolveInput input;
  input.project = &project;
  input.conf = &conf;
  input.host_conf = &host_conf;
  input.host = &host;
  input.subnet = "172.30.4.0/24";
  input.swarm = true;
  input.nameserver = "172.18.0.1";
  input.images = {{"demo/web:latest", {"sha256:1111111111111111", {}}},
                  {"demo/db:latest", {"sha256:2222222222222222", {}}},
                  {"dockerops/dns:latest", {"sha256:3333333333333333", {"53/udp"}}}};
  return resolve(input);
}

ObservedState three_nodes() {
  ObservedState observed;
  ObservedSwarm& swarm = observed.swarm.emplace();
  swarm.manager_id = "id-n1";
  swarm.nameserver = "172.18.0.1";
  swarm.nodes = {{"id-n1", "n1", "manager", "ready", "active", "10.9.0.2", {}},
                 {"id-n2", "n2", "worker", "ready", "active", "10.9.0.3", {{"dockerops.group", "data"}}},
                 {"id-n3", "n3", "worker", "ready", "active", "10.9.0.4", {{"dockerops.group", "data"}}}};
  return observed;
}

// The observed service of `r` with one running task on `node`.
ObservedService service_of(const ResolvedInstance& r, const std::string& hash, const std::string& node,
                           std::map<std::string, std::string> extra = {}) {
  ObservedService s;
  s.id = "svc-" + r.service;
  s.name = r.container_name;
  s.labels = r.labels;
  s.labels["dockerops.config-hash"] = hash;
  for (auto& [k, v] : extra)
    s.labels[k] = v;
  s.replicas = 1;
  s.tasks.push_back({"task-" + r.service, 1, "id-" + node, "running", "running", "started", "10.0.4.5", ""});
  return s;
}

std::vector<std::string> kinds(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& op : plan.operations)
    out.push_back(std::string(to_string(op.kind)) + " " + op.target);
  return out;
}

} // namespace

TEST(PlanSwarm, FreshProjectGolden) {
  auto project = resolve_swarm();
  RunOptions options{"172.30.4.0/24", false, false, "run", "10.9.0.2:5000"};
  Plan plan = plan_swarm_run(project, three_nodes(), options);
  std::string text = plan.to_string();
  // Header, the shared steps, and what the mapping decides per instance.
  EXPECT_EQ(text.substr(0, text.find('\n')), "run plan for project demo on swarm: 13 operations");
  EXPECT_EQ(kinds(plan), (std::vector<std::string>{
                             "create-network demo_net",
                             "create-secret demo-authorized-keys",
                             "create-secret demo-dns-key",
                             "push-image dockerops/dns:latest",
                             "create-service demo-dockerops-dns-master",
                             "wait-running demo-dockerops-dns-master",
                             "push-image demo/web:latest",
                             "create-service demo-web-one",
                             "wait-running demo-web-one",
                             "push-image demo/db:latest",
                             "create-service demo-db-main",
                             "wait-running demo-db-main",
                             "dns-sync local.zone",
                         }));
  EXPECT_NE(text.find("  #1 create-network demo_net 172.30.4.0/24 overlay: not created yet\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("create-secret demo-authorized-keys config from .dockerops/id_ed25519.pub"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("create-secret demo-dns-key secret from .dockerops/dns.key"), std::string::npos)
      << text;
  EXPECT_NE(text.find("push-image demo/web:latest to 10.9.0.2:5000"), std::string::npos) << text;
  EXPECT_NE(text.find("      global (one task per node)\n"), std::string::npos) << text;
  // The persistent db is pinned to the least loaded node of its group, by name on a tie.
  EXPECT_NE(text.find("      replicas 1, pinned to node n2\n"), std::string::npos) << text;
  // Every instance resolves through its own node's DNS, at the same address everywhere.
  EXPECT_NE(text.find("      resolver 172.18.0.1 (search local.zone)\n"), std::string::npos) << text;
  // Records follow the tasks: every node's DNS is synced once everything runs (decisions 39).
  EXPECT_NE(
      text.find("  #13 dns-sync local.zone after #6 #9 #12: records follow the tasks: every node's DNS\n"),
      std::string::npos)
      << text;
  // No pinned address on a swarm: the overlay's IPAM chooses.
  EXPECT_EQ(text.find(" at 172.30.4.2"), std::string::npos) << text;
}

TEST(PlanSwarm, OperationsAndDependencies) {
  auto project = resolve_swarm();
  Plan plan = plan_swarm_run(project, three_nodes(), {"172.30.4.0/24", false, false, "run", "10.9.0.2:5000"});
  ASSERT_TRUE(plan.swarm);
  const Operation* db = nullptr;
  for (const auto& op : plan.operations)
    if (op.kind == OpKind::create_service && op.target == "demo-db-main")
      db = &op;
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->node, "n2");
  EXPECT_EQ(db->registry, "10.9.0.2:5000");
  // After the network, the SSH key config and the push of its image.
  std::vector<std::string> deps;
  for (int id : db->after)
    deps.push_back(std::string(to_string(plan.op(id).kind)) + " " + plan.op(id).target);
  EXPECT_EQ(deps, (std::vector<std::string>{"create-network demo_net", "create-secret demo-authorized-keys",
                                            "push-image demo/db:latest"}));
}

TEST(PlanSwarm, KeepsUpdatesAndStartsStoppedServices) {
  auto project = resolve_swarm();
  ObservedState observed = three_nodes();
  const auto& dns = project.instances[0];
  const auto& web = project.instances[1];
  const auto& db = project.instances[2];
  observed.swarm->services = {
      service_of(dns, dns.config_hash, "n1"), service_of(web, "old-hash", "n1"),
      service_of(db, db.config_hash, "n3",
                 {{"dockerops.stopped", "true"}, {"dockerops.node", "n3"}, {"dockerops.replicas", "1"}})};
  observed.swarm->files = {{"demo-authorized-keys", true}, {"demo-dns-key", false}};
  observed.networks = {{"net1", "demo_net", "172.30.4.0/24", {{"dockerops.project", "demo"}}}};
  Plan plan = plan_swarm_run(project, observed, {"172.30.4.0/24", false, false, "run", "10.9.0.2:5000"});
  EXPECT_EQ(kinds(plan),
            (std::vector<std::string>{"keep demo-dockerops-dns-master", "push-image demo/web:latest",
                                      "update-service demo-web-one", "wait-running demo-web-one",
                                      "scale-service demo-db-main", "wait-running demo-db-main",
                                      "dns-sync local.zone"}));
  EXPECT_EQ(plan.op(3).cause, "configuration changed");
  EXPECT_EQ(plan.op(3).container_id, "svc-web");
  EXPECT_EQ(plan.op(5).replicas, 1u);
  EXPECT_EQ(plan.op(5).node, "n3"); // pinned where it was: its data is there
  EXPECT_EQ(plan.summary(), "run: 3 instances: 1 recreated, 1 started, 1 up to date\n");
}

TEST(PlanSwarm, NoNodeOfTheGroupLeavesThePinOpen) {
  auto project = resolve_swarm();
  ObservedState observed = three_nodes();
  for (auto& n : observed.swarm->nodes)
    n.labels.clear();
  Plan plan = plan_swarm_run(project, observed, {"172.30.4.0/24", false, false, "run", "10.9.0.2:5000"});
  for (const auto& op : plan.operations) {
    if (op.kind == OpKind::create_service) {
      EXPECT_EQ(op.node, "") << op.target; // pending, reported by wait-running
    }
  }
}

TEST(PlanSwarm, WhatASwarmCannotDo) {
  EXPECT_EQ(error_of([] {
              plan_swarm_run(resolve_swarm(R"([{"service": "web", "instance": "one", "interactive": true}])"),
                             three_nodes(), {});
            }),
            "run.conf:1: web/one: an interactive instance needs a local daemon, not a swarm (unset the swarm "
            "orchestrator for it: DOCKEROPS_ORCHESTRATOR=docker)");
  EXPECT_EQ(error_of([] {
              plan_swarm_run(resolve_swarm(R"([{"service": "web", "instance": "one_b"}])"), three_nodes(),
                             {});
            }),
            "run.conf:1: web/one_b: the swarm service name \"demo-web-one_b\" is not a DNS label (letters, "
            "digits and '-', at most 63); rename the project (--project-name) or the instance");
  EXPECT_EQ(error_of([] {
              plan_swarm_run(resolve_swarm(R"([{"service": "web", "instance": "one", "nethost": true}])"),
                             three_nodes(), {});
            }),
            "run.conf:1: web/one: nethost is not supported on a swarm (a task's network is the overlay)");
}

TEST(PlanSwarm, TheAgentIsAServiceOnAManager) {
  // docs/decisions.md 40: its folder on a named volume of the manager, the TSIG key and the API token
  // as secrets (made from the project's files first), the swarm orchestrator in its environment.
  auto project = resolve_swarm(R"([{"service": "dockerops-dns", "instance": "master"},
                                   {"service": "dockerops-agent", "instance": "main"}])");
  RunOptions options{"172.30.4.0/24", false, false, "run", "10.9.0.2:5000"};
  std::string text = plan_swarm_run(project, three_nodes(), options).to_string();
  for (const char* line : {
           "create-secret demo-agent-token secret from .dockerops/agent.token",
           "create-service demo-dockerops-agent-main",
           "      volume demo-dockerops-agent-main-state:/var/lib/dockerops-agent (on its manager)\n",
           "      file /run/dockerops/agent.token from secret demo-agent-token (.dockerops/agent.token)\n",
           "      file /etc/dockerops/dns.key from secret demo-dns-key (.dockerops/dns.key)\n",
           "      volume /var/run/docker.sock:/var/run/docker.sock (a path on the node)\n",
       })
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  const ResolvedInstance& agent = project.instances.at(1);
  EXPECT_EQ(agent.env.at("DOCKEROPS_ORCHESTRATOR").value, "swarm");
  EXPECT_EQ(agent.env.at("DOCKEROPS_PROJECT_DIR").value, "/var/lib/dockerops-agent");
  EXPECT_EQ(agent.env.count("DOCKEROPS_CGROUP_ROOT"), 0u);

  // clean:all removes its folder's volume once its service is gone.
  ObservedState observed = three_nodes();
  observed.swarm->services = {service_of(agent, agent.config_hash, "n1")};
  Filter all;
  Plan clean = plan_swarm_lifecycle(SwarmAction::clean, "demo", observed, all);
  EXPECT_EQ(kinds(clean), (std::vector<std::string>{"remove-service demo-dockerops-agent-main",
                                                    "remove-volume demo-dockerops-agent-main-state"}));
  EXPECT_EQ(clean.op(2).after, (std::vector<int>{1}));
}

TEST(PlanSwarm, LifecycleStopStartClean) {
  auto project = resolve_swarm();
  ObservedState observed = three_nodes();
  const auto& dns = project.instances[0];
  const auto& web = project.instances[1];
  observed.swarm->services = {service_of(dns, dns.config_hash, "n1"), service_of(web, web.config_hash, "n2")};
  observed.swarm->services[0].global = true;
  ObservedService registry;
  registry.id = "svc-registry";
  registry.name = "demo-registry";
  registry.labels = {{"dockerops.project", "demo"}, {"dockerops.role", "registry"}};
  observed.swarm->services.push_back(registry);
  observed.swarm->files = {{"demo-authorized-keys", true}, {"demo-dns-key", false}};
  observed.networks = {{"net1", "demo_net", "172.30.4.0/24", {{"dockerops.project", "demo"}}}};

  Filter all;
  Plan stop = plan_swarm_lifecycle(SwarmAction::stop, "demo", observed, all);
  EXPECT_EQ(kinds(stop), (std::vector<std::string>{"scale-service demo-web-one",
                                                   "scale-service demo-dockerops-dns-master"}));
  EXPECT_EQ(stop.op(1).replicas, 0u);
  EXPECT_EQ(stop.op(2).after, std::vector<int>{1}); // the DNS last
  EXPECT_EQ(stop.summary(), "stop: 2 instances: 2 stopped\n");

  observed.swarm->services[1].labels["dockerops.stopped"] = "true";
  Plan start = plan_swarm_lifecycle(SwarmAction::start, "demo", observed, all);
  EXPECT_EQ(kinds(start), (std::vector<std::string>{"scale-service demo-web-one", "wait-running demo-web-one",
                                                    "dns-sync local.zone"}));
  EXPECT_EQ(start.op(2).after, (std::vector<int>{1}));
  EXPECT_EQ(start.op(3).after, (std::vector<int>{2}));
  EXPECT_EQ(start.op(3).dns_server, "172.18.0.1");
  EXPECT_EQ(start.op(1).replicas, 1u);

  Plan clean = plan_swarm_lifecycle(SwarmAction::clean, "demo", observed, all);
  EXPECT_EQ(kinds(clean), (std::vector<std::string>{
                              "remove-service demo-web-one", "remove-service demo-dockerops-dns-master",
                              "remove-network demo_net", "remove-service demo-registry",
                              "remove-volume demo-registry-persistent", "remove-secret demo-authorized-keys",
                              "remove-secret demo-dns-key"}));
  EXPECT_EQ(clean.op(5).after, (std::vector<int>{4})); // the registry's storage once it is gone
  EXPECT_TRUE(clean.op(6).config_file);
  EXPECT_FALSE(clean.op(7).config_file);
  // The network, the registry and the files go once every instance is gone.
  EXPECT_EQ(clean.op(3).after, (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(clean.op(4).after, (std::vector<int>{1, 2}));

  // One instance: the rest of the project stays.
  Filter one;
  one.service = "web";
  Plan clean_one = plan_swarm_lifecycle(SwarmAction::clean, "demo", observed, one);
  // Its records go with its tasks: the DNS that stays is synced.
  EXPECT_EQ(kinds(clean_one),
            (std::vector<std::string>{"remove-service demo-web-one", "dns-sync local.zone"}));

  // A run that changes nothing still syncs (a relocated task's new address replaces the old one).
  observed.swarm->services[1].labels.erase("dockerops.stopped");
  Plan again = plan_swarm_run(project, observed, {"172.30.4.0/24", false, false, "run", ""});
  EXPECT_EQ(kinds(again).back(), "dns-sync local.zone");
  // With the DNS stopped, nothing is synced.
  observed.swarm->services[0].labels["dockerops.stopped"] = "true";
  Filter only_web;
  only_web.service = "web";
  EXPECT_EQ(kinds(plan_swarm_lifecycle(SwarmAction::stop, "demo", observed, only_web)),
            (std::vector<std::string>{"scale-service demo-web-one"}));
}
