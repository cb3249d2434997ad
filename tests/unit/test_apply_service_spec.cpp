// apply/service_spec: what POST /services/create receives for a resolved instance on a swarm (the
// mapping table of dockerops(1) SWARM), and the JSON body the Engine API gets from it.
#include "apply/service_spec.hpp"
#include "engine/swarm_json.hpp"

#include <gtest/gtest.h>

namespace dockerops::apply {
namespace {

project::ResolvedInstance db() {
  project::ResolvedInstance r;
  r.project = "demo";
  r.service = "db";
  r.instance = "main";
  r.group = "data";
  r.container_name = "demo-db-main";
  r.hostname = "db-main";
  r.image = "demo/db:latest";
  r.network = "demo_net";
  r.dns_server = "172.18.0.1";
  r.dns_search = "local.zone";
  r.persistent_data = true;
  r.persistent_dir = "/p/data_demo/db-main";
  r.linked = true;
  r.command = {"supervisord", "-n"};
  r.env["SERVICE"] = {"db", project::EnvSource::builtin, "", ""};
  r.env["CACHE_SERVICE_IP"] = {"", project::EnvSource::link, "", "demo-cache-one"};
  r.links.push_back({"cache", "cache", "one", "demo-cache-one"});
  r.ports.push_back({"", 5432, 5432, "tcp"});
  r.volumes.push_back({"/p/data_demo/db-main", "/persistent", ""});
  r.volumes.push_back({"/p/.dockerops/id_ed25519.pub", "/run/dockerops/authorized_keys", "ro"});
  r.volumes.push_back({"/srv/shared", "/shared", "ro"});
  r.labels = {{"dockerops.project", "demo"},
              {"dockerops.service", "db"},
              {"dockerops.instance", "main"},
              {"dockerops.config-hash", "abc"}};
  return r;
}

TEST(ApplyServiceSpec, MapsTheResolvedInstance) {
  ServiceExtras extras;
  extras.labels = {{"dockerops.test", "1"}};
  extras.image = "10.9.0.2:5000/demo/db@sha256:feed";
  extras.node = "n2";
  extras.file_ids = {{"demo-authorized-keys", "cfg1"}};
  engine::ServiceSpec spec = service_spec(db(), extras);
  EXPECT_EQ(spec.name, "demo-db-main");
  EXPECT_EQ(spec.image, "10.9.0.2:5000/demo/db@sha256:feed");
  EXPECT_EQ(spec.hostname, "db-main");
  EXPECT_EQ(spec.args, (std::vector<std::string>{"supervisord", "-n"}));
  EXPECT_FALSE(spec.command); // the image's entrypoint stays
  // Identity and config hash on the service and on its containers; pin and replicas on the service.
  EXPECT_EQ(spec.container_labels.at("dockerops.config-hash"), "abc");
  EXPECT_EQ(spec.container_labels.at("dockerops.test"), "1");
  EXPECT_EQ(spec.labels.at("dockerops.node"), "n2");
  EXPECT_EQ(spec.labels.at("dockerops.replicas"), "1");
  EXPECT_EQ(spec.container_labels.count("dockerops.node"), 0u);
  // Links by name, resolved by the base entrypoint at each start.
  EXPECT_EQ(spec.env,
            (std::vector<std::string>{"SERVICE=db", "DOCKEROPS_LINK_VARS=CACHE_SERVICE_IP=demo-cache-one",
                                      "DOCKEROPS_LINK_ALIASES=cache=demo-cache-one"}));
  ASSERT_EQ(spec.mounts.size(), 2u);
  EXPECT_EQ(spec.mounts[0].type, "volume");
  EXPECT_EQ(spec.mounts[0].source, "demo-db-main-persistent");
  EXPECT_EQ(spec.mounts[0].target, "/persistent");
  EXPECT_EQ(spec.mounts[0].volume_labels.at("dockerops.project"), "demo");
  EXPECT_EQ(spec.mounts[1].type, "bind");
  EXPECT_EQ(spec.mounts[1].source, "/srv/shared");
  EXPECT_TRUE(spec.mounts[1].read_only);
  ASSERT_EQ(spec.configs.size(), 1u);
  EXPECT_EQ(spec.configs[0].id, "cfg1");
  EXPECT_EQ(spec.configs[0].target, "/run/dockerops/authorized_keys");
  EXPECT_TRUE(spec.secrets.empty());
  EXPECT_EQ(spec.dns_nameservers, (std::vector<std::string>{"172.18.0.1"}));
  EXPECT_EQ(spec.dns_search, (std::vector<std::string>{"local.zone"}));
  EXPECT_EQ(spec.constraints,
            (std::vector<std::string>{"node.labels.dockerops.group==data", "node.hostname==n2"}));
  EXPECT_EQ(spec.endpoint_mode, "dnsrr");
  ASSERT_EQ(spec.ports.size(), 1u);
  EXPECT_EQ(spec.ports[0].publish_mode, "host");
  EXPECT_EQ(spec.ports[0].published_port, 5432);
  EXPECT_EQ(spec.restart_condition, "any");
  EXPECT_FALSE(spec.global);
  EXPECT_EQ(spec.replicas, 1u);
  EXPECT_EQ(spec.networks.at(0).target, "demo_net");
}

TEST(ApplyServiceSpec, TheDnsIsGlobalWithItsKey) {
  project::ResolvedInstance dns = db();
  dns.service = "dockerops-dns";
  dns.is_dns = true;
  dns.container_name = "demo-dockerops-dns-master";
  dns.volumes.push_back({"/p/.dockerops/dns.key", "/etc/dockerops/dns.key", "ro"});
  ServiceExtras extras;
  extras.file_ids = {{"demo-dns-key", "sec1"}};
  engine::ServiceSpec spec = service_spec(dns, extras);
  EXPECT_TRUE(spec.global);
  EXPECT_EQ(spec.labels.count("dockerops.replicas"), 0u);
  ASSERT_EQ(spec.secrets.size(), 1u);
  EXPECT_EQ(spec.secrets[0].id, "sec1");
  EXPECT_EQ(spec.secrets[0].target, "/etc/dockerops/dns.key");
  EXPECT_EQ(spec.secrets[0].mode, 0400u);
  // Stopped: a global service has no replica count, so it is placed nowhere.
  extras.stopped = true;
  spec = service_spec(dns, extras);
  EXPECT_EQ(spec.constraints.back(), "node.labels.dockerops.stopped==true");
  EXPECT_EQ(spec.labels.at("dockerops.stopped"), "true");
}

TEST(ApplyServiceSpec, TheAgentRunsOnAManagerWithItsSocket) {
  project::ResolvedInstance agent = db();
  agent.service = "dockerops-agent";
  agent.is_agent = true;
  agent.nethost = true;
  agent.network = "";
  agent.hostname = "";
  agent.ports.clear();
  agent.persistent_data = false;
  agent.persistent_dir = "";
  agent.group = "";
  agent.container_name = "demo-dockerops-agent-main";
  agent.volumes = {{"/var/run/docker.sock", "/var/run/docker.sock", ""},
                   {"", "/var/lib/dockerops-agent", ""},
                   {"/p/.dockerops/dns.key", "/etc/dockerops/dns.key", "ro"},
                   {"/p/.dockerops/agent.token", "/run/dockerops/agent.token", "ro"}};
  engine::ServiceSpec spec = service_spec(agent, {});
  ASSERT_EQ(spec.networks.size(), 1u);
  EXPECT_EQ(spec.networks[0].target, "host"); // its API on the manager's loopback
  EXPECT_EQ(spec.constraints, (std::vector<std::string>{"node.role==manager"}));
  EXPECT_TRUE(spec.dns_nameservers.empty()); // the node's resolver: a host-network task takes no DNS options
  ASSERT_EQ(spec.mounts.size(), 2u);
  EXPECT_EQ(spec.mounts[0].type, "bind");
  EXPECT_EQ(spec.mounts[0].source, "/var/run/docker.sock");
  EXPECT_EQ(spec.mounts[1].type, "volume");
  EXPECT_EQ(spec.mounts[1].source, "demo-dockerops-agent-main-state");
  EXPECT_EQ(spec.mounts[1].target, "/var/lib/dockerops-agent");
  EXPECT_EQ(spec.mounts[1].volume_labels.at("dockerops.project"), "demo");
  std::vector<std::string> secrets;
  for (const auto& s : spec.secrets)
    secrets.push_back(s.name + " " + s.target);
  EXPECT_EQ(secrets, (std::vector<std::string>{"demo-dns-key /etc/dockerops/dns.key",
                                               "demo-agent-token /run/dockerops/agent.token"}));
  EXPECT_EQ(spec.replicas, 1);
}

TEST(ApplyServiceSpec, JsonBody) {
  ServiceExtras extras;
  extras.file_ids = {{"demo-authorized-keys", "cfg1"}};
  auto body = engine::service_spec_body(service_spec(db(), extras));
  const auto& container = body["TaskTemplate"]["ContainerSpec"];
  EXPECT_EQ(container["Configs"][0]["ConfigID"], "cfg1");
  EXPECT_EQ(container["Configs"][0]["ConfigName"], "demo-authorized-keys");
  EXPECT_EQ(container["Configs"][0]["File"]["Name"], "/run/dockerops/authorized_keys");
  EXPECT_EQ(container["Configs"][0]["File"]["Mode"], 0444);
  EXPECT_EQ(container["DNSConfig"]["Nameservers"][0], "172.18.0.1");
  EXPECT_EQ(body["EndpointSpec"]["Mode"], "dnsrr");
  EXPECT_EQ(body["EndpointSpec"]["Ports"][0]["PublishMode"], "host");
  EXPECT_EQ(body["TaskTemplate"]["RestartPolicy"]["Delay"], 1'000'000'000);
  // Read back, the spec is the same (scale-service updates what it read).
  engine::ServiceSpec again = engine::parse_service_spec(body);
  EXPECT_EQ(again.configs.at(0).id, "cfg1");
  EXPECT_EQ(again.configs.at(0).target, "/run/dockerops/authorized_keys");
  EXPECT_EQ(again.mounts.at(0).source, "demo-db-main-persistent");
}

TEST(ApplyServiceSpec, ResourcesBecomeTheTaskLimits) {
  project::ResolvedInstance r = db();
  r.resources.cpus = 0.5;
  r.resources.memory = 256 << 20;
  r.resources.memory_reservation = 128 << 20;
  r.resources.pids = 200;
  engine::ServiceSpec spec = service_spec(r, {});
  EXPECT_EQ(spec.nano_cpus, 500'000'000);
  EXPECT_EQ(spec.memory_bytes, 256 << 20);
  EXPECT_EQ(spec.memory_reservation_bytes, 128 << 20);
  EXPECT_EQ(spec.pids_limit, 200);
  auto body = engine::service_spec_body(spec);
  EXPECT_EQ(body["TaskTemplate"]["Resources"]["Limits"]["Pids"], 200);
  EXPECT_EQ(body["TaskTemplate"]["Resources"]["Limits"]["NanoCPUs"], 500'000'000);
}

} // namespace
} // namespace dockerops::apply
