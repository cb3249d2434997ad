#include "../support/fake_engine.hpp"

#include <gtest/gtest.h>

using dockerops::Error;
using dockerops::ErrorKind;
using namespace dockerops::engine;
using dockerops::engine::testing::FakeEngine;

TEST(FakeEngine, RecordsMutationsAndKeepsState) {
  FakeEngine fake;
  fake.add_image("demo/web");
  fake.create_network(
      {"demo_net", "bridge", {{"dockerops.project", "demo"}}, "172.30.5.0/24", "172.30.5.1", false});
  ContainerSpec spec;
  spec.name = "demo-web-one";
  spec.image = "demo/web";
  spec.labels = {{"dockerops.project", "demo"}};
  spec.endpoint = EndpointSpec{"demo_net", {"web"}, "172.30.5.10"};
  std::string id = fake.create_container(spec);
  fake.start_container(id);
  EXPECT_TRUE(fake.inspect_container("demo-web-one").running);
  EXPECT_EQ(fake.inspect_container(id).networks.at("demo_net").ip_address, "172.30.5.10");
  EXPECT_EQ(fake.list_containers(label_filter({"dockerops.project=demo"}), false).size(), 1u);
  EXPECT_EQ(fake.list_containers(label_filter({"dockerops.project=other"}), true).size(), 0u);
  fake.stop_container(id, 10);
  fake.remove_container(id, false, true);
  EXPECT_FALSE(fake.find_container(id).has_value());
  fake.remove_network("demo_net");
  EXPECT_EQ(fake.calls(), (std::vector<std::string>{"network-create demo_net", "create demo-web-one",
                                                    "start demo-web-one", "stop demo-web-one",
                                                    "remove demo-web-one", "network-remove demo_net"}));
}

TEST(FakeEngine, BehavesLikeTheDaemonOnErrors) {
  FakeEngine fake;
  ContainerSpec spec;
  spec.name = "x";
  spec.image = "missing/image";
  try {
    fake.create_container(spec);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::not_found);
  }
  fake.add_image("missing/image:latest");
  fake.create_container(spec);
  try {
    fake.create_container(spec);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
  }
  fake.fail_on("start x", ErrorKind::engine, "boom");
  EXPECT_THROW(fake.start_container("x"), Error);
  EXPECT_EQ(fake.calls().back(), "start x");
}

TEST(FakeEngine, BuildRegistersTaggedImages) {
  FakeEngine fake;
  bool done = false;
  BodyReader empty = [&](char*, std::size_t) -> std::size_t { return 0; };
  std::string id = fake.build_image(
      {{"dockerops/base:latest"}, "", {{"dockerops.context-hash", "h1"}}, {}, false, true, false}, empty,
      [&](const nlohmann::json& line) { done = line.contains("aux"); });
  EXPECT_TRUE(done);
  EXPECT_EQ(fake.inspect_image("dockerops/base").id, id);
  EXPECT_EQ(fake.inspect_image("dockerops/base").labels.at("dockerops.context-hash"), "h1");
  EXPECT_EQ(fake.calls(), std::vector<std::string>{"build dockerops/base:latest"});
}

TEST(FakeSwarm, PlacesSlotsOnEligibleNodesAndMovesThemWhenANodeGoesDown) {
  FakeEngine fake;
  auto& swarm = fake.swarm();
  swarm.add_node("m1", "manager");
  swarm.add_node("w1", "worker", {{"dockerops.group", "web"}});
  swarm.add_node("w2", "worker", {{"dockerops.group", "web"}});
  ServiceSpec spec;
  spec.name = "demo-web";
  spec.image = "demo/web";
  spec.labels = {{"dockerops.project", "demo"}};
  spec.replicas = 2;
  spec.constraints = {"node.labels.dockerops.group==web"};
  spec.networks = {{"demo_net", {}}};
  std::string id = swarm.create_service(spec);
  auto on_nodes = [&] {
    std::vector<std::string> placed;
    for (const auto& task : current_tasks(swarm.list_tasks({{"service", {"demo-web"}}})))
      placed.push_back(std::to_string(task.slot) + "@" + task.node_id);
    return placed;
  };
  EXPECT_EQ(on_nodes(), (std::vector<std::string>{"1@node-w1", "2@node-w2"}));
  EXPECT_EQ(swarm.list_services(label_filter({"dockerops.project=demo"}))[0].running_tasks, 2u);
  EXPECT_TRUE(swarm.list_services(label_filter({"dockerops.project=other"})).empty());

  swarm.set_node_state("w1", "down");
  EXPECT_EQ(on_nodes(), (std::vector<std::string>{"1@node-w2", "2@node-w2"}));
  EXPECT_EQ(swarm.list_tasks({{"desired-state", {"shutdown"}}}).size(), 1u);
  swarm.set_node_state("w2", "down");
  auto pending = current_tasks(swarm.list_tasks({{"service", {id}}}));
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].node_id, "");
  EXPECT_EQ(pending[0].error, "no suitable node");

  ServiceInfo info = swarm.inspect_service("demo-web");
  try {
    swarm.update_service(id, info.version - 1, spec);
    ADD_FAILURE();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::conflict);
  }
  swarm.update_service(id, info.version, spec);
  swarm.remove_service("demo-web");
  EXPECT_FALSE(swarm.find_service("demo-web").has_value());
  EXPECT_EQ(swarm.calls(), (std::vector<std::string>{"service-create demo-web", "service-update demo-web",
                                                     "service-update demo-web", "service-remove demo-web"}));
  EXPECT_TRUE(fake.calls().empty());
}
