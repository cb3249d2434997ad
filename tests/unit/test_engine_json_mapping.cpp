#include "engine/json_mapping.hpp"

#include <gtest/gtest.h>

using nlohmann::json;
using namespace dockerops::engine;

TEST(JsonMapping, ContainerSpecToCreateBody) {
  ContainerSpec spec;
  spec.name = "demo-web-one";
  spec.image = "demo/web:latest";
  spec.cmd = std::vector<std::string>{"supervisord", "-n"};
  spec.entrypoint = std::vector<std::string>{"/entrypoint.sh"};
  spec.env = {"SERVICE=web", "INSTANCE=one"};
  spec.labels = {{"dockerops.project", "demo"}, {"dockerops.test", "1"}};
  spec.hostname = "one";
  spec.domainname = "web.local.zone";
  spec.user = "root";
  spec.working_dir = "/srv";
  spec.tty = true;
  spec.open_stdin = true;
  spec.stdin_once = true;
  spec.attach_stdin = true;
  spec.attach_stdout = true;
  spec.attach_stderr = true;
  spec.exposed_ports = {"53/udp", "22"};
  spec.healthcheck_none = true;
  spec.stop_timeout = 10;
  spec.binds = {"/home/u/demo/.dockerops/id_ed25519.pub:/run/dockerops/authorized_keys:ro"};
  spec.port_bindings = {{"tcp", 8080, "127.0.0.1", 0}, {"udp", 53, "127.0.0.1", 53}};
  spec.dns = {"172.30.5.2"};
  spec.dns_search = {"local.zone"};
  spec.network_mode = "demo_net";
  spec.auto_remove = true;
  spec.init = true;
  spec.privileged = false;
  spec.cap_add = {"NET_ADMIN"};
  spec.extra_hosts = {"dnsserver:172.30.5.2"};
  spec.nano_cpus = 500000000;
  spec.memory = 268435456;
  spec.memory_reservation = 134217728;
  spec.pids_limit = 100;
  spec.endpoint = EndpointSpec{"demo_net", {"web"}, "172.30.5.10", {"demo-db-one:db"}};

  json expected = json::parse(R"({
    "Image": "demo/web:latest",
    "Cmd": ["supervisord", "-n"],
    "Entrypoint": ["/entrypoint.sh"],
    "Env": ["SERVICE=web", "INSTANCE=one"],
    "Labels": {"dockerops.project": "demo", "dockerops.test": "1"},
    "Hostname": "one",
    "Domainname": "web.local.zone",
    "User": "root",
    "WorkingDir": "/srv",
    "Tty": true, "OpenStdin": true, "StdinOnce": true,
    "AttachStdin": true, "AttachStdout": true, "AttachStderr": true,
    "ExposedPorts": {"53/udp": {}, "22/tcp": {}, "8080/tcp": {}},
    "Healthcheck": {"Test": ["NONE"]},
    "StopTimeout": 10,
    "HostConfig": {
      "Binds": ["/home/u/demo/.dockerops/id_ed25519.pub:/run/dockerops/authorized_keys:ro"],
      "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
                       "53/udp": [{"HostIp": "127.0.0.1", "HostPort": "53"}]},
      "Dns": ["172.30.5.2"],
      "DnsSearch": ["local.zone"],
      "NetworkMode": "demo_net",
      "AutoRemove": true,
      "Init": true,
      "Privileged": false,
      "CapAdd": ["NET_ADMIN"],
      "ExtraHosts": ["dnsserver:172.30.5.2"],
      "NanoCpus": 500000000, "Memory": 268435456, "MemoryReservation": 134217728, "PidsLimit": 100
    },
    "NetworkingConfig": {"EndpointsConfig": {"demo_net": {
      "Aliases": ["web"], "IPAMConfig": {"IPv4Address": "172.30.5.10"}, "Links": ["demo-db-one:db"]}}}
  })");
  EXPECT_EQ(container_create_body(spec), expected) << container_create_body(spec).dump(2);
}

TEST(JsonMapping, MinimalSpecLeavesImageDefaultsAlone) {
  ContainerSpec spec;
  spec.image = "busybox";
  json body = container_create_body(spec);
  EXPECT_FALSE(body.contains("Cmd"));
  EXPECT_FALSE(body.contains("Entrypoint"));
  EXPECT_FALSE(body.contains("Env"));
  EXPECT_FALSE(body.contains("NetworkingConfig"));
  EXPECT_FALSE(body["HostConfig"].contains("NetworkMode"));
  for (const char* limit : {"NanoCpus", "Memory", "MemoryReservation", "PidsLimit"})
    EXPECT_FALSE(body["HostConfig"].contains(limit)) << limit;
  // An explicitly empty command differs from "the image's".
  spec.cmd = std::vector<std::string>{};
  EXPECT_EQ(container_create_body(spec)["Cmd"], json::array());
}

TEST(JsonMapping, NetworkBodies) {
  NetworkSpec spec{"demo_net",      "bridge",     {{"dockerops.project", "demo"}},
                   "172.30.5.0/24", "172.30.5.1", false};
  EXPECT_EQ(network_create_body(spec),
            json::parse(R"({"Name":"demo_net","Driver":"bridge","CheckDuplicate":true,
    "Internal":false,"Labels":{"dockerops.project":"demo"},
    "IPAM":{"Driver":"default","Config":[{"Subnet":"172.30.5.0/24","Gateway":"172.30.5.1"}]}})"));
  EXPECT_EQ(network_connect_body({"demo_net", {"dns"}, "172.30.5.2"}, "abc"),
            json::parse(R"({"Container":"abc","EndpointConfig":{"Aliases":["dns"],
              "IPAMConfig":{"IPv4Address":"172.30.5.2"}}})"));
  EXPECT_EQ(network_connect_body({"demo_net", {}, ""}, "abc"),
            json::parse(R"({"Container":"abc","EndpointConfig":{}})"));
}

TEST(JsonMapping, ParsesContainerInspect) {
  json body = json::parse(R"({
    "Id": "9ca1", "Name": "/demo-web-one", "Image": "sha256:872a",
    "State": {"Status": "running", "Running": true, "Pid": 4242, "ExitCode": 0,
              "StartedAt": "2026-05-01T10:00:00Z", "FinishedAt": "0001-01-01T00:00:00Z",
              "Health": {"Status": "healthy"}},
    "Config": {"Image": "demo/web:latest", "Tty": true, "Hostname": "one", "Env": ["A=1"],
               "Labels": {"dockerops.project": "demo"}},
    "NetworkSettings": {"IPAddress": "",
      "Ports": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "49153"}], "22/tcp": null},
      "Networks": {"demo_net": {"NetworkID": "n1", "IPAddress": "172.30.5.10", "Gateway": "172.30.5.1",
                                "Aliases": ["web", "9ca1"], "Links": ["demo-db-one:db"]}}},
    "HostConfig": {"NanoCpus": 500000000, "Memory": 268435456, "MemoryReservation": 0, "PidsLimit": null},
    "Mounts": [{"Type": "bind", "Source": "/p/.dockerops/id_ed25519.pub",
                "Destination": "/run/dockerops/authorized_keys", "Mode": "ro", "RW": false}]})");
  ContainerInfo info = parse_container_info(body);
  EXPECT_EQ(info.id, "9ca1");
  EXPECT_EQ(info.name, "demo-web-one");
  EXPECT_EQ(info.image, "demo/web:latest");
  EXPECT_EQ(info.image_id, "sha256:872a");
  EXPECT_EQ(info.status, "running");
  EXPECT_TRUE(info.running);
  EXPECT_EQ(info.pid, 4242);
  EXPECT_EQ(info.health_status, "healthy");
  EXPECT_TRUE(info.tty);
  EXPECT_EQ(info.env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(info.labels.at("dockerops.project"), "demo");
  ASSERT_EQ(info.networks.count("demo_net"), 1u);
  EXPECT_EQ(info.networks["demo_net"].ip_address, "172.30.5.10");
  EXPECT_EQ(info.networks["demo_net"].aliases, (std::vector<std::string>{"web", "9ca1"}));
  EXPECT_EQ(info.networks["demo_net"].links, std::vector<std::string>{"demo-db-one:db"});
  ASSERT_EQ(info.ports.size(), 2u);
  EXPECT_EQ(info.ports[0].container_port, 22);
  EXPECT_EQ(info.ports[0].host_port, 0);
  EXPECT_EQ(info.ports[1].host_port, 49153);
  EXPECT_EQ(info.ports[1].host_ip, "127.0.0.1");
  ASSERT_EQ(info.mounts.size(), 1u);
  EXPECT_EQ(info.mounts[0].type, "bind");
  EXPECT_EQ(info.mounts[0].source, "/p/.dockerops/id_ed25519.pub");
  EXPECT_EQ(info.mounts[0].destination, "/run/dockerops/authorized_keys");
  EXPECT_FALSE(info.mounts[0].read_write);
  EXPECT_EQ(info.nano_cpus, 500000000);
  EXPECT_EQ(info.memory, 268435456);
  EXPECT_EQ(info.memory_reservation, 0);
  EXPECT_EQ(info.pids_limit, 0);
}

TEST(JsonMapping, ParsesListEntriesWithNullsAndLinkNames) {
  ContainerSummary summary = parse_container_summary(json::parse(R"({"Id":"1",
    "Names":["/research-api-app1/web","/research-api-web1"],"Labels":null,"State":"exited",
    "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.17.0.3"}}},
    "Ports":[{"IP":"127.0.0.1","PrivatePort":53,"PublicPort":53,"Type":"udp"}]})"));
  EXPECT_EQ(summary.name, "research-api-web1");
  EXPECT_TRUE(summary.labels.empty());
  EXPECT_EQ(summary.ip_by_network.at("bridge"), "172.17.0.3");
  ASSERT_EQ(summary.ports.size(), 1u);
  EXPECT_EQ(summary.ports[0].proto, "udp");

  ImageInfo image = parse_image(json::parse(R"({"Id":"sha256:1","RepoTags":null,
    "Config":{"Env":null,"Cmd":null,"Labels":{"a":"b"},"ExposedPorts":{"8080/tcp":{},"53/udp":{}},
    "Healthcheck":{"Test":["CMD","true"]}}})"));
  EXPECT_TRUE(image.repo_tags.empty());
  EXPECT_TRUE(image.cmd.empty());
  EXPECT_EQ(image.labels.at("a"), "b");
  EXPECT_EQ(image.exposed_ports, (std::vector<std::string>{"53/udp", "8080/tcp"}));
  EXPECT_TRUE(image.has_healthcheck);
}

TEST(JsonMapping, ParsesNetworksAndEvents) {
  NetworkInfo network = parse_network(json::parse(R"({"Id":"n1","Name":"demo_net","Driver":"bridge",
    "IPAM":{"Config":[{"Subnet":"172.30.5.0/24","Gateway":"172.30.5.1"}]},
    "Containers":{"c1":{"Name":"demo-dns-one","IPv4Address":"172.30.5.2/24"}}})"));
  EXPECT_EQ(network.subnets, std::vector<std::string>{"172.30.5.0/24"});
  ASSERT_EQ(network.members.size(), 1u);
  EXPECT_EQ(network.members[0].ipv4_address, "172.30.5.2");

  Event event = parse_event(json::parse(R"({"status":"die","id":"9ca1","Type":"container","Action":"die",
    "Actor":{"ID":"9ca1","Attributes":{"exitCode":"7","dockerops.project":"demo"}},"time":1795300913,
    "timeNano":1795300913000000001})"));
  EXPECT_EQ(event.type, "container");
  EXPECT_EQ(event.action, "die");
  EXPECT_EQ(event.attributes.at("exitCode"), "7");
  EXPECT_EQ(event.time, 1795300913);
}

TEST(JsonMapping, FiltersJson) {
  EXPECT_EQ(
      filters_json({{"label", {"dockerops.project=demo", "dockerops.test=1"}}, {"status", {"running"}}}),
      R"({"label":["dockerops.project=demo","dockerops.test=1"],"status":["running"]})");
}
