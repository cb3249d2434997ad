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
