// Integration tests of the swarm-mode Engine client (engine/swarm.hpp) against a real 3-node swarm:
// Docker engines in containers on this machine, brought up and torn down by swarmlib.bash (nothing is
// pulled from outside: the tiny image is Debian's static busybox, the registry Debian's
// docker-registry). The tests run in order on one bed; TearDownTestSuite removes it, even on failure,
// and the sweep fixture removes what a crash leaves (everything carries dockerops.test=1).

#include "base/error.hpp"
#include "base/log.hpp"
#include "engine/engine.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

using dockerops::Error;
using dockerops::ErrorKind;
using namespace dockerops::engine;

namespace {

// Runs a shell command; returns its stdout, or fails the test with its output and status.
std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr)
    throw std::runtime_error("popen failed: " + command);
  std::array<char, 4096> buffer{};
  while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  int status = pclose(pipe);
  if (status != 0)
    throw std::runtime_error(command + " failed (" + std::to_string(status) + "):\n" + output);
  return output;
}

// The value of NAME in a swarmlib.bash state file ("declare -- NAME=\"value\"").
std::string state_value(const std::string& file, const std::string& name) {
  std::ifstream in(file);
  std::string line;
  std::regex pattern("declare -[-a-z]* " + name + "=\"([^\"]*)\"");
  std::smatch match;
  while (std::getline(in, line))
    if (std::regex_search(line, match, pattern))
      return match[1];
  throw std::runtime_error(name + " is missing from " + file);
}

// Polls `done` every 200 ms for at most `limit`; a bound on waiting, not a timing assertion.
bool eventually(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(90)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done())
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

const std::string k_service = "web";
const std::string k_network = "demo_net";
const std::string k_subnet = "10.213.7.0/24";

} // namespace

class SwarmEngine : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    if (const char* level = std::getenv("LOG_LEVEL"))
      dockerops::log::set_level(dockerops::log::parse_level(level));
    const char* source = std::getenv("DOCKEROPS_SOURCE_DIR");
    s_lib = "bash " + std::string(source == nullptr ? "." : source) + "/tests/integration/swarmlib.bash";
    s_state = "/tmp/dockerops-test-swarm-engine-" + std::to_string(getpid()) + ".state";
    try {
      connect()->ping();
    } catch (const Error& error) {
      if (error.kind() != ErrorKind::engine_unreachable || std::getenv("CI") != nullptr)
        throw;
      s_skip_reason = error.what();
      return;
    }
    try {
      s_bed_up = true;
      // The workers pull from the project registry: no DOCKER_SERVICE_PREFER_OFFLINE_IMAGE.
      run("SWARM_PREFER_OFFLINE=0 SWARM_PREFIX=t-swarm-engine-" + std::to_string(getpid()) + " " + s_lib +
          " up 3 " + s_state);
      s_tiny = "dockerops-test/tiny:engine-" + std::to_string(getpid());
      run(s_lib + " tiny-image " + s_state + " " + s_tiny);
      // Only the manager gets the image side-loaded: the workers must pull it from the registry.
      run(s_lib + " load " + s_state + " " + s_tiny + " " + state_value(s_state, "SWARM_MANAGER"));
      run(s_lib + " registry " + s_state);
      s_registry = state_value(s_state, "SWARM_REGISTRY");
      s_manager = connect(state_value(s_state, "SWARM_HOST"));
    } catch (const std::exception& error) {
      s_setup_error = error.what();
    }
  }

  static void TearDownTestSuite() {
    s_manager.reset();
    if (s_bed_up) {
      try {
        run(s_lib + " down " + s_state);
      } catch (const std::exception& error) {
        ADD_FAILURE() << error.what();
      }
      std::remove(s_state.c_str());
    }
  }

  void SetUp() override {
    if (!s_skip_reason.empty())
      GTEST_SKIP() << "no Docker daemon: " << s_skip_reason;
    ASSERT_TRUE(s_setup_error.empty()) << s_setup_error;
  }

  static std::unique_ptr<Engine> node_engine(int index) {
    std::string ip =
        run("docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' " +
            state_value(s_state, "SWARM_PREFIX") + "-n" + std::to_string(index));
    while (!ip.empty() && (ip.back() == '\n' || ip.back() == ' '))
      ip.pop_back();
    return connect("tcp://" + ip + ":2375");
  }

  static Swarm& swarm() { return s_manager->swarm(); }

  // Tags the tiny image for the registry and pushes it through the manager's engine; returns the
  // push's status lines.
  static std::vector<std::string> push_tiny() {
    s_manager->tag_image(s_tiny, s_registry + "/demo/tiny", "1");
    std::vector<std::string> statuses;
    s_manager->push_image(s_registry + "/demo/tiny", "1", [&](const nlohmann::json& line) {
      if (line.contains("status") && line["status"].is_string())
        statuses.push_back(line["status"].get<std::string>());
    });
    return statuses;
  }

  // The running tasks of the test service, by slot.
  static std::vector<TaskInfo> running_tasks() {
    std::vector<TaskInfo> running;
    for (auto& task : current_tasks(swarm().list_tasks({{"service", {k_service}}})))
      if (task.state == "running")
        running.push_back(task);
    return running;
  }

  static ServiceSpec web_spec() {
    ServiceSpec spec;
    spec.name = k_service;
    spec.labels = {{"dockerops.test", "1"}, {"dockerops.project", "demo"}, {"dockerops.service", "web"}};
    spec.image = s_registry + "/demo/tiny:1";
    spec.args = std::vector<std::string>{
        "/bin/busybox", "sh", "-c",
        "echo \"hello from $(/bin/busybox hostname)\"; exec /bin/busybox httpd -f -p 80 -h /www"};
    spec.env = {"SERVICE=web"};
    spec.container_labels = {{"dockerops.test", "1"}, {"dockerops.project", "demo"}};
    spec.hostname = "web-{{.Task.Slot}}";
    spec.restart_delay_ns = 0;
    spec.stop_grace_period_ns = 1'000'000'000;
    spec.networks = {{k_network, {"www"}}};
    spec.replicas = 3;
    spec.max_replicas_per_node = 1; // one task per node: every node has to pull the image
    spec.endpoint_mode = "dnsrr";
    return spec;
  }

  inline static std::string s_lib, s_state, s_tiny, s_registry, s_skip_reason, s_setup_error;
  inline static bool s_bed_up = false;
  inline static std::unique_ptr<Engine> s_manager;
};

TEST_F(SwarmEngine, InfoSaysManagerOrWorker) {
  SystemInfo info = s_manager->info();
  EXPECT_EQ(info.swarm.local_node_state, "active");
  EXPECT_TRUE(info.swarm.control_available);
  EXPECT_EQ(info.swarm.nodes, 3);
  EXPECT_EQ(info.swarm.managers, 1);
  EXPECT_NO_THROW(check_manager(info.swarm, s_manager->host()));

  auto worker = node_engine(2);
  SystemInfo worker_info = worker->info();
  EXPECT_EQ(worker_info.swarm.local_node_state, "active");
  EXPECT_FALSE(worker_info.swarm.control_available);
  try {
    check_manager(worker_info.swarm, worker->host());
    ADD_FAILURE() << "a worker passed check_manager";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::config);
    EXPECT_NE(std::string(error.what()).find("is a swarm worker"), std::string::npos) << error.what();
  }
  try {
    worker->swarm().list_services({});
    ADD_FAILURE() << "a worker listed services";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::engine);
    EXPECT_NE(std::string(error.what()).find("not a swarm manager"), std::string::npos) << error.what();
  }
}

TEST_F(SwarmEngine, NodesAndTheirLabels) {
  std::vector<NodeInfo> nodes = swarm().list_nodes({});
  ASSERT_EQ(nodes.size(), 3u);
  std::set<std::string> hostnames;
  for (const auto& node : nodes) {
    EXPECT_EQ(node.state, "ready") << node.hostname;
    EXPECT_EQ(node.availability, "active") << node.hostname;
    EXPECT_FALSE(node.address.empty());
    hostnames.insert(node.hostname);
  }
  std::string prefix = state_value(s_state, "SWARM_PREFIX");
  EXPECT_EQ(hostnames, (std::set<std::string>{prefix + "-n1", prefix + "-n2", prefix + "-n3"}));
  EXPECT_EQ(swarm().list_nodes({{"role", {"manager"}}}).size(), 1u);

  NodeInfo n3 = swarm().inspect_node(prefix + "-n3");
  swarm().update_node(n3.id, n3.version, {.labels = {{"dockerops.group", "db"}}, .role = n3.role});
  EXPECT_EQ(swarm().inspect_node(n3.id).labels, (Labels{{"dockerops.group", "db"}}));
  EXPECT_EQ(swarm().list_nodes({{"node.label", {"dockerops.group=db"}}}).size(), 1u);
  try {
    swarm().update_node(n3.id, n3.version, {.role = n3.role}); // stale version
    ADD_FAILURE() << "a stale node update went through";
  } catch (const Error&) {
  }
}

TEST_F(SwarmEngine, HeartbeatCanBeTuned) {
  SwarmInfo before = swarm().inspect_swarm();
  EXPECT_EQ(before.heartbeat_period_ns, 5'000'000'000);
  swarm().update_swarm({.heartbeat_period_ns = 1'000'000'000});
  SwarmInfo after = swarm().inspect_swarm();
  EXPECT_EQ(after.heartbeat_period_ns, 1'000'000'000);
  EXPECT_GT(after.version, before.version);
  EXPECT_EQ(after.spec["Raft"], before.spec["Raft"]); // the rest of the Spec is kept
  EXPECT_FALSE(after.join_token_worker.empty());
}

TEST_F(SwarmEngine, PushedImageReachesTheRegistry) {
  std::vector<std::string> statuses = push_tiny();
  EXPECT_FALSE(statuses.empty());
  std::string catalog = run("curl -sf http://" + s_registry + "/v2/demo/tiny/tags/list");
  EXPECT_NE(catalog.find("\"1\""), std::string::npos) << catalog;
  try {
    s_manager->push_image(s_registry + "/demo/missing", "1", {});
    ADD_FAILURE() << "pushing a missing image succeeded";
  } catch (const Error&) {
  }
}

TEST_F(SwarmEngine, DnsrrServiceLifecycle) {
  s_manager->create_network({.name = k_network,
                             .driver = "overlay",
                             .labels = {{"dockerops.test", "1"}, {"dockerops.project", "demo"}},
                             .subnet = k_subnet,
                             .attachable = true});
  EXPECT_EQ(s_manager->inspect_network(k_network).scope, "swarm");

  push_tiny();
  std::string id = swarm().create_service(web_spec());
  ASSERT_FALSE(id.empty());
  try {
    swarm().create_service(web_spec());
    ADD_FAILURE() << "a duplicate service name was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict) << error.what();
  }

  // Three tasks, one per node: each node pulled the image from the registry.
  ASSERT_TRUE(eventually([] { return running_tasks().size() == 3; }))
      << "tasks: " << swarm().list_tasks({{"service", {k_service}}}).size();
  std::vector<TaskInfo> tasks = running_tasks();
  std::set<std::string> nodes, addresses;
  std::set<int> slots;
  for (const auto& task : tasks) {
    EXPECT_EQ(task.desired_state, "running");
    EXPECT_FALSE(task.container_id.empty());
    EXPECT_EQ(task.image, web_spec().image);
    nodes.insert(task.node_id);
    slots.insert(task.slot);
    ASSERT_EQ(task.addresses.size(), 1u);
    EXPECT_EQ(task.addresses[0].network_name, k_network);
    EXPECT_EQ(task.addresses[0].prefix_length, 24);
    EXPECT_EQ(task.addresses[0].address.rfind("10.213.7.", 0), 0u) << task.addresses[0].address;
    addresses.insert(task.addresses[0].address);
  }
  EXPECT_EQ(nodes.size(), 3u);
  EXPECT_EQ(slots, (std::set<int>{1, 2, 3}));
  EXPECT_EQ(addresses.size(), 3u);
  for (int n = 2; n <= 3; ++n)
    EXPECT_TRUE(node_engine(n)->find_image(web_spec().image).has_value()) << "node " << n << " did not pull";

  // Listing by the service's labels finds the service and its tasks.
  std::vector<ServiceInfo> listed = swarm().list_services(label_filter({"dockerops.project=demo"}));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, id);
  EXPECT_EQ(listed[0].desired_tasks, 3u);
  EXPECT_TRUE(swarm().list_services(label_filter({"dockerops.project=other"})).empty());
  EXPECT_EQ(current_tasks(swarm().list_tasks(label_filter({"dockerops.project=demo"}))).size(), 3u);

  // dnsrr: the service name resolves, on the overlay, to every task's own address.
  auto worker = node_engine(2);
  std::string container;
  for (const auto& summary :
       worker->list_containers(label_filter({"com.docker.swarm.service.name=web"}), false))
    container = summary.id;
  ASSERT_FALSE(container.empty());
  std::string lookup;
  bool all_found = eventually([&] {
    lookup.clear();
    worker->exec_capture(container, {.cmd = {"/bin/busybox", "nslookup", "-type=a", "www"}}, lookup);
    return std::all_of(addresses.begin(), addresses.end(),
                       [&](const std::string& a) { return lookup.find(a) != std::string::npos; });
  });
  EXPECT_TRUE(all_found) << lookup;

  // Logs gather every task's output.
  std::string logs;
  ASSERT_TRUE(eventually([&] {
    logs.clear();
    swarm().service_logs(id, {}, [&](Stream, std::string_view bytes) {
      logs.append(bytes);
      return true;
    });
    return logs.find("hello from web-1") != std::string::npos &&
           logs.find("hello from web-3") != std::string::npos;
  })) << logs;

  // Update with the version read: two replicas, a new env; a stale version is a conflict.
  ServiceInfo current = swarm().inspect_service(k_service);
  ServiceSpec changed = web_spec();
  changed.replicas = 2;
  changed.env.push_back("GENERATION=2");
  swarm().update_service(id, current.version, changed);
  try {
    swarm().update_service(id, current.version, changed);
    ADD_FAILURE() << "a stale service update went through";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict) << error.what();
  }
  ServiceInfo updated = swarm().inspect_service(id);
  EXPECT_GT(updated.version, current.version);
  EXPECT_EQ(updated.spec.replicas, 2u);
  EXPECT_EQ(updated.spec.env, changed.env);
  std::set<std::string> old_ids;
  for (const auto& task : tasks)
    old_ids.insert(task.id);
  ASSERT_TRUE(eventually([&] {
    auto now = running_tasks();
    return now.size() == 2 &&
           std::none_of(now.begin(), now.end(), [&](const TaskInfo& t) { return old_ids.count(t.id) != 0; });
  })) << "the update did not converge to 2 new tasks";

  swarm().remove_service(id);
  EXPECT_FALSE(swarm().find_service(k_service).has_value());
  // (A "service" filter naming a removed service is an error: list by the service's label.)
  EXPECT_TRUE(
      eventually([] { return swarm().list_tasks(label_filter({"dockerops.project=demo"})).empty(); }));
  try {
    swarm().inspect_service(k_service);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::not_found);
  }
  EXPECT_TRUE(eventually([&] {
    try {
      s_manager->remove_network(k_network);
      return true;
    } catch (const Error&) {
      return false; // endpoints of the removed tasks go away shortly after
    }
  }));
}
