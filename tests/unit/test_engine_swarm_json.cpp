// Golden tests of the swarm-mode JSON mapping. The files in data/engine-swarm/ are replies of a real
// Debian docker.io 20.10.24 manager (API 1.41) on the test bed of tests/integration/swarmlib.bash, to a
// service made with the docker CLI's every option that ServiceSpec models (only the CA certificate,
// the join tokens and the plugin lists are trimmed).

#include "../support/error_of.hpp"
#include "engine/json_mapping.hpp"
#include "engine/swarm.hpp"
#include "engine/swarm_json.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

using nlohmann::json;
using namespace dockerops::engine;
using dockerops::testing::error_of;

namespace {

json golden(const std::string& name) {
  std::ifstream in(std::string(DOCKEROPS_TEST_DATA "/engine-swarm/") + name);
  EXPECT_TRUE(in) << name;
  return json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

} // namespace

TEST(SwarmJson, InfoTellsAManagerFromAWorker) {
  SystemInfo manager = parse_info(golden("info-manager.json"));
  EXPECT_EQ(manager.swarm.local_node_state, "active");
  EXPECT_TRUE(manager.swarm.control_available);
  EXPECT_EQ(manager.swarm.node_id, "sshbfyvui9jmh1pnmuoedi4rm");
  EXPECT_EQ(manager.swarm.node_addr, "172.21.0.2");
  EXPECT_EQ(manager.swarm.cluster_id, "f9qkfufqp6q6p367wkreiou6g");
  EXPECT_EQ(manager.swarm.nodes, 2);
  EXPECT_EQ(manager.swarm.managers, 1);

  SystemInfo worker = parse_info(golden("info-worker.json"));
  EXPECT_EQ(worker.swarm.local_node_state, "active");
  EXPECT_FALSE(worker.swarm.control_available);
  EXPECT_EQ(worker.swarm.cluster_id, "");

  EXPECT_EQ(parse_info(json::parse(R"({"Name": "solo"})")).swarm.local_node_state, "");
}

TEST(SwarmJson, CheckManagerSaysWhatIsWrongAndTheFix) {
  SwarmState state;
  state.local_node_state = "active";
  state.control_available = true;
  EXPECT_EQ(error_of([&] { check_manager(state, "tcp://m1:2375"); }), "no error");
  state.control_available = false;
  EXPECT_EQ(error_of([&] { check_manager(state, "tcp://w1:2375"); }),
            "the Docker engine at tcp://w1:2375 is a swarm worker; the swarm orchestrator needs a manager: "
            "point DOCKER_HOST at one (\"docker node ls\" on a manager lists them)");
  state.local_node_state = "inactive";
  EXPECT_EQ(
      error_of([&] { check_manager(state, "unix:///var/run/docker.sock"); }),
      "the Docker engine at unix:///var/run/docker.sock is not in a swarm; create one with \"docker swarm "
      "init\" or unset the swarm orchestrator (host.conf \"orchestrator\", DOCKEROPS_ORCHESTRATOR)");
  state.local_node_state = "locked";
  EXPECT_EQ(error_of([&] { check_manager(state, "m"); }),
            "the swarm manager at m is locked; unlock it with \"docker swarm unlock\"");
  state.local_node_state = "pending";
  EXPECT_EQ(error_of([&] { check_manager(state, "m"); }),
            "the Docker engine at m is still joining its swarm; try again in a moment");
  state.local_node_state = "error";
  state.error = "certificate expired";
  EXPECT_EQ(error_of([&] { check_manager(state, "m"); }),
            "the Docker engine at m is in a swarm error state: certificate expired");
}

TEST(SwarmJson, ParsesTheSwarm) {
  SwarmInfo swarm = parse_swarm(golden("swarm.json"));
  EXPECT_EQ(swarm.id, "f9qkfufqp6q6p367wkreiou6g");
  EXPECT_EQ(swarm.version, 10u);
  EXPECT_EQ(swarm.heartbeat_period_ns, 5'000'000'000);
  EXPECT_EQ(swarm.join_token_worker, "SWMTKN-1-test-worker");
  EXPECT_EQ(swarm.join_token_manager, "SWMTKN-1-test-manager");
  EXPECT_EQ(swarm.default_addr_pool, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(swarm.subnet_size, 24);
  EXPECT_EQ(swarm.spec["Raft"]["ElectionTick"], 10);
}

TEST(SwarmJson, SwarmUpdateChangesOnlyWhatIsAsked) {
  json spec = golden("swarm.json")["Spec"];
  json body = swarm_update_body(spec, {.heartbeat_period_ns = 1'000'000'000});
  json expected = spec;
  expected["Dispatcher"]["HeartbeatPeriod"] = 1'000'000'000;
  EXPECT_EQ(body, expected);
  body = swarm_update_body(spec, {.task_history_limit = 2});
  EXPECT_EQ(body["Orchestration"]["TaskHistoryRetentionLimit"], 2);
  EXPECT_EQ(body["Dispatcher"], spec["Dispatcher"]);
  EXPECT_EQ(swarm_update_body(spec, {}), spec);
}

TEST(SwarmJson, ParsesNodes) {
  std::vector<NodeInfo> nodes;
  for (const auto& entry : golden("nodes.json"))
    nodes.push_back(parse_node(entry));
  ASSERT_EQ(nodes.size(), 2u);
  const NodeInfo& worker = nodes[0];
  EXPECT_EQ(worker.id, "4kkoakhmm7xwg71z230kot2lw");
  EXPECT_EQ(worker.hostname, "t-swarm-32492-n2");
  EXPECT_EQ(worker.role, "worker");
  EXPECT_EQ(worker.availability, "active");
  EXPECT_EQ(worker.labels, (Labels{{"dockerops.group", "web"}}));
  EXPECT_EQ(worker.state, "ready");
  EXPECT_EQ(worker.address, "172.21.0.3");
  EXPECT_FALSE(worker.leader);
  EXPECT_EQ(worker.reachability, "");
  EXPECT_EQ(worker.engine_version, "20.10.24+dfsg1");
  EXPECT_EQ(worker.nano_cpus, 2'000'000'000);
  EXPECT_GT(worker.version, 0u);
  const NodeInfo& manager = nodes[1];
  EXPECT_EQ(manager.role, "manager");
  EXPECT_TRUE(manager.leader);
  EXPECT_EQ(manager.reachability, "reachable");
  EXPECT_EQ(
      node_spec_body({.labels = {{"dockerops.group", "db"}}, .role = "worker", .availability = "drain"}),
      json::parse(R"({"Labels": {"dockerops.group": "db"}, "Role": "worker", "Availability": "drain"})"));
}

TEST(SwarmJson, ParsesAServiceTheCliMade) {
  ServiceInfo service = parse_service(golden("service.json"));
  EXPECT_EQ(service.id, "8fpmnmtfxybde133kz61nd686");
  EXPECT_EQ(service.version, 20u);
  EXPECT_EQ(service.created_at, "2026-12-06T19:14:15.57515454Z");
  const ServiceSpec& spec = service.spec;
  EXPECT_EQ(spec.name, "demo-web");
  EXPECT_EQ(spec.labels, (Labels{{"dockerops.project", "demo"}, {"dockerops.service", "web"}}));
  EXPECT_EQ(spec.image, "dockerops-test/tiny:t-swarm-32492");
  EXPECT_FALSE(spec.command.has_value());
  EXPECT_EQ(spec.args, (std::vector<std::string>{"/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"}));
  EXPECT_EQ(spec.env, (std::vector<std::string>{"SERVICE=web", "INSTANCE=w"}));
  EXPECT_EQ(spec.container_labels, (Labels{{"dockerops.project", "demo"}}));
  EXPECT_EQ(spec.hostname, "{{.Service.Name}}-{{.Task.Slot}}");
  EXPECT_TRUE(spec.init);
  EXPECT_TRUE(spec.healthcheck_none);
  EXPECT_EQ(spec.stop_grace_period_ns, 5'000'000'000);
  ASSERT_EQ(spec.mounts.size(), 1u);
  EXPECT_EQ(spec.mounts[0].type, "volume");
  EXPECT_EQ(spec.mounts[0].source, "demo-data");
  EXPECT_EQ(spec.mounts[0].target, "/data");
  EXPECT_EQ(spec.hosts, std::vector<std::string>{"10.1.2.3 extra"});
  EXPECT_EQ(spec.dns_nameservers, std::vector<std::string>{"10.42.7.2"});
  EXPECT_EQ(spec.dns_search, std::vector<std::string>{"local.zone"});
  EXPECT_EQ(spec.capability_add, std::vector<std::string>{"CAP_NET_ADMIN"});
  EXPECT_EQ(spec.nano_cpus, 500'000'000);
  EXPECT_EQ(spec.memory_bytes, 64 << 20);
  EXPECT_EQ(spec.memory_reservation_bytes, 32 << 20);
  EXPECT_EQ(spec.pids_limit, 100);
  EXPECT_EQ(spec.restart_condition, "on-failure");
  EXPECT_EQ(spec.restart_delay_ns, 0);
  EXPECT_EQ(spec.restart_max_attempts, 3u);
  EXPECT_EQ(spec.constraints, std::vector<std::string>{"node.labels.dockerops.group==web"});
  EXPECT_EQ(spec.max_replicas_per_node, 2u);
  ASSERT_EQ(spec.networks.size(), 1u);
  EXPECT_EQ(spec.networks[0].target, "yfptbyh6clbt7v8jam7hiatz4");
  EXPECT_EQ(spec.networks[0].aliases, std::vector<std::string>{"web"});
  EXPECT_FALSE(spec.global);
  EXPECT_EQ(spec.replicas, 1u);
  EXPECT_EQ(spec.endpoint_mode, "dnsrr");
  ASSERT_EQ(spec.ports.size(), 1u);
  EXPECT_EQ(spec.ports[0].protocol, "tcp");
  EXPECT_EQ(spec.ports[0].target_port, 80);
  EXPECT_EQ(spec.ports[0].published_port, 8080);
  EXPECT_EQ(spec.ports[0].publish_mode, "host");
}

// What dockerops sends is what the daemon stores: the body made from the parsed spec equals the
// daemon's Spec, less the two fields the daemon adds by itself.
TEST(SwarmJson, ServiceSpecRoundTripsThroughTheDaemonsForm) {
  json daemon_spec = golden("service.json")["Spec"];
  json expected = daemon_spec;
  expected["TaskTemplate"]["ContainerSpec"].erase("Isolation");
  expected["TaskTemplate"].erase("Runtime");
  expected["TaskTemplate"].erase("ForceUpdate"); // 0: left out
  EXPECT_EQ(service_spec_body(parse_service_spec(daemon_spec)), expected)
      << service_spec_body(parse_service_spec(daemon_spec)).dump(2);
}

TEST(SwarmJson, MinimalServiceSpecIsDnsrrWithOneReplica) {
  ServiceSpec spec;
  spec.name = "demo-web";
  spec.image = "10.0.0.2:5000/demo/web:latest";
  EXPECT_EQ(service_spec_body(spec), json::parse(R"({
    "Name": "demo-web",
    "TaskTemplate": {"ContainerSpec": {"Image": "10.0.0.2:5000/demo/web:latest"},
                     "RestartPolicy": {"Condition": "any"}},
    "Mode": {"Replicated": {"Replicas": 1}},
    "EndpointSpec": {"Mode": "dnsrr"}
  })"));
  spec.global = true;
  spec.command = std::vector<std::string>{};
  spec.force_update = 2;
  spec.mounts.push_back({.type = "volume",
                         .source = "demo_registry",
                         .target = "/var/lib/docker-registry",
                         .read_only = true,
                         .volume_labels = {{"dockerops.project", "demo"}}});
  json body = service_spec_body(spec);
  EXPECT_EQ(body["Mode"], json::parse(R"({"Global": {}})"));
  EXPECT_EQ(body["TaskTemplate"]["ContainerSpec"]["Command"], json::array());
  EXPECT_EQ(body["TaskTemplate"]["ForceUpdate"], 2);
  EXPECT_EQ(body["TaskTemplate"]["ContainerSpec"]["Mounts"], json::parse(R"([{"Type": "volume",
    "Source": "demo_registry", "Target": "/var/lib/docker-registry", "ReadOnly": true,
    "VolumeOptions": {"Labels": {"dockerops.project": "demo"}}}])"));
  EXPECT_EQ(parse_service_spec(body).mounts[0].volume_labels, spec.mounts[0].volume_labels);
}

TEST(SwarmJson, ParsesTasksWithTheirNodeAndAddresses) {
  json tasks = golden("tasks.json");
  ASSERT_EQ(tasks.size(), 1u);
  TaskInfo task = parse_task(tasks[0]);
  EXPECT_EQ(task.id, "v0madj0zxl3ttgx7d3y990x1u");
  EXPECT_EQ(task.service_id, "8fpmnmtfxybde133kz61nd686");
  EXPECT_EQ(task.node_id, "4kkoakhmm7xwg71z230kot2lw");
  EXPECT_EQ(task.slot, 1);
  EXPECT_EQ(task.state, "running");
  EXPECT_EQ(task.desired_state, "running");
  EXPECT_EQ(task.message, "started");
  EXPECT_EQ(task.error, "");
  EXPECT_EQ(task.container_id, "5d9c73847cad37b2c4ad40ae79a3e4b8fcd77a8ac922952c4d3105d4e0905e97");
  EXPECT_EQ(task.pid, 394);
  EXPECT_EQ(task.image, "dockerops-test/tiny:t-swarm-32492");
  EXPECT_EQ(task.container_labels, (Labels{{"dockerops.project", "demo"}}));
  ASSERT_EQ(task.addresses.size(), 1u);
  EXPECT_EQ(task.addresses[0].network_name, "demo_net");
  EXPECT_EQ(task.addresses[0].network_id, "yfptbyh6clbt7v8jam7hiatz4");
  EXPECT_EQ(task.addresses[0].address, "10.42.7.2");
  EXPECT_EQ(task.addresses[0].prefix_length, 24);
}

TEST(SwarmJson, ToleratesWhatTheDaemonLeavesOut) {
  TaskInfo pending = parse_task(json::parse(R"({"ID": "t1", "Slot": 2, "DesiredState": "running",
    "Status": {"State": "pending", "Message": "pending task scheduling", "Err": "no suitable node"},
    "NetworksAttachments": null})"));
  EXPECT_EQ(pending.node_id, "");
  EXPECT_EQ(pending.state, "pending");
  EXPECT_TRUE(pending.addresses.empty());
  EXPECT_EQ(parse_service(json::parse(R"({"ID": "s", "Spec": null})")).spec.endpoint_mode, "vip");
  EXPECT_EQ(parse_node(json::array()).hostname, "");
}

TEST(SwarmJson, CurrentTasksLeaveHistoryOut) {
  std::vector<TaskInfo> tasks(4);
  tasks[0] = {.id = "old",
              .service_id = "s",
              .node_id = "n2",
              .slot = 1,
              .state = "shutdown",
              .desired_state = "shutdown"};
  tasks[1] = {.id = "b",
              .service_id = "s",
              .node_id = "n1",
              .slot = 2,
              .state = "running",
              .desired_state = "running"};
  tasks[2] = {.id = "a",
              .service_id = "s",
              .node_id = "n3",
              .slot = 1,
              .state = "starting",
              .desired_state = "running"};
  tasks[3] = {.id = "failed", .service_id = "s", .slot = 3, .state = "failed", .desired_state = "shutdown"};
  std::vector<TaskInfo> current = current_tasks(tasks);
  ASSERT_EQ(current.size(), 2u);
  EXPECT_EQ(current[0].id, "a");
  EXPECT_EQ(current[1].id, "b");
}

TEST(SwarmJson, OverlayNetworksAreAttachable) {
  NetworkSpec spec{.name = "demo_net", .driver = "overlay", .subnet = "10.42.7.0/24", .attachable = true};
  EXPECT_EQ(network_create_body(spec), json::parse(R"({"Name": "demo_net", "Driver": "overlay",
    "CheckDuplicate": true, "Internal": false, "Attachable": true,
    "IPAM": {"Driver": "default", "Config": [{"Subnet": "10.42.7.0/24"}]}})"));
  EXPECT_EQ(parse_network(json::parse(R"({"Name": "demo_net", "Scope": "swarm"})")).scope, "swarm");
}
