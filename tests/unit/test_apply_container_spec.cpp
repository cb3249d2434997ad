// apply/container_spec: what POST /containers/create receives for a resolved instance.
#include "apply/container_spec.hpp"

#include <gtest/gtest.h>

namespace dockerops::apply {
namespace {

project::ResolvedInstance web() {
  project::ResolvedInstance r;
  r.project = "demo";
  r.service = "web";
  r.instance = "one";
  r.container_name = "demo-web-one";
  r.hostname = "web-one";
  r.image = "demo/web:latest";
  r.network = "demo_net";
  r.dns_server = "172.30.5.2";
  r.dns_search = "local.zone";
  r.env["SERVICE"] = {"web", project::EnvSource::builtin, "", ""};
  r.env["DB_SERVICE_IP"] = {"", project::EnvSource::link, "", "demo-db-one"};
  r.ports.push_back({"127.0.0.1", 8080, 80, "tcp"});
  r.ports.push_back({"", 5353, 53, "udp"});
  r.volumes.push_back({"/p/data_demo/web-one", "/persistent", ""});
  r.volumes.push_back({"/p/.dockerops/id_ed25519.pub", "/run/dockerops/authorized_keys", "ro"});
  r.labels = {{"dockerops.project", "demo"}};
  return r;
}

TEST(ApplyContainerSpec, MapsTheResolvedInstance) {
  SpecExtras extras;
  extras.labels = {{"dockerops.test", "1"}};
  extras.link_address = [](const std::string& container) {
    return container == "demo-db-one" ? "172.30.5.9" : "";
  };
  engine::ContainerSpec spec = container_spec(web(), extras);
  EXPECT_EQ(spec.name, "demo-web-one");
  EXPECT_EQ(spec.hostname, "web-one");
  EXPECT_EQ(spec.env, (std::vector<std::string>{"DB_SERVICE_IP=172.30.5.9", "SERVICE=web"}));
  EXPECT_EQ(spec.labels.at("dockerops.test"), "1");
  EXPECT_EQ(spec.labels.at("dockerops.project"), "demo");
  EXPECT_EQ(spec.binds,
            (std::vector<std::string>{"/p/data_demo/web-one:/persistent",
                                      "/p/.dockerops/id_ed25519.pub:/run/dockerops/authorized_keys:ro"}));
  EXPECT_EQ(spec.exposed_ports, (std::vector<std::string>{"80/tcp", "53/udp"}));
  ASSERT_EQ(spec.port_bindings.size(), 2u);
  EXPECT_EQ(spec.port_bindings[0].host_ip, "127.0.0.1");
  EXPECT_EQ(spec.port_bindings[0].host_port, 8080);
  EXPECT_EQ(spec.dns, std::vector<std::string>{"172.30.5.2"});
  EXPECT_EQ(spec.dns_search, std::vector<std::string>{"local.zone"});
  ASSERT_TRUE(spec.endpoint.has_value());
  EXPECT_EQ(spec.endpoint->network, "demo_net");
  EXPECT_TRUE(spec.endpoint->aliases.empty()); // docs/decisions.md 11: never the service name
  EXPECT_FALSE(spec.tty);
  EXPECT_FALSE(spec.cmd.has_value());
}

TEST(ApplyContainerSpec, InteractiveGetsATtyAndHostNetworkingNoEndpoint) {
  auto r = web();
  r.interactive = true;
  r.command = {"bash"};
  r.nethost = true;
  engine::ContainerSpec spec = container_spec(r, {});
  EXPECT_TRUE(spec.tty && spec.open_stdin && spec.stdin_once && spec.attach_stdin);
  EXPECT_EQ(spec.cmd, std::vector<std::string>{"bash"});
  EXPECT_EQ(spec.network_mode, "host");
  EXPECT_TRUE(spec.hostname.empty());
  EXPECT_FALSE(spec.endpoint.has_value());
}

TEST(ApplyContainerSpec, LinksAreScopedToTheLinkingContainer) {
  auto r = web();
  r.links.push_back({"db", "db", "one", "demo-db-one"});
  r.links.push_back({"cache", "cache", "", ""}); // remote: a variable only, no container
  engine::ContainerSpec spec = container_spec(r, {});
  ASSERT_TRUE(spec.endpoint.has_value());
  EXPECT_EQ(spec.endpoint->links, std::vector<std::string>{"demo-db-one:db"});
  EXPECT_TRUE(spec.endpoint->aliases.empty());

  r.linked = false; // linked=false: the variables stay, the name does not resolve
  EXPECT_TRUE(container_spec(r, {}).endpoint->links.empty());
}

} // namespace
} // namespace dockerops::apply
