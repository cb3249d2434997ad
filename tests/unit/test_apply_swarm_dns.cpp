// The project's names on a swarm (docs/decisions.md 39): the records wanted from the observed tasks,
// the DNS tasks to sync, and a sync through the real registrar against the real server loop on
// 127.0.0.1 (one answering "node", one that does not answer).
#include "apply/dns_registrar.hpp"
#include "apply/project_files.hpp"
#include "apply/swarm_dns.hpp"
#include "dns/client/update_client.hpp"
#include "dns/proto/key_file.hpp"
#include "dns/server/server.hpp"
#include "dns_update_support.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

using namespace dockerops;
using namespace dockerops::apply;
using plan::ObservedService;
using plan::ObservedSwarm;
using plan::ObservedTask;

namespace {

ObservedTask task(std::string id, int slot, std::string node, std::string state, std::string desired,
                  std::string ip) {
  ObservedTask t;
  t.id = std::move(id);
  t.slot = slot;
  t.node_id = std::move(node);
  t.state = std::move(state);
  t.desired_state = std::move(desired);
  t.ip = std::move(ip);
  return t;
}

ObservedService service(const std::string& svc, const std::string& instance, std::vector<ObservedTask> tasks,
                        std::map<std::string, std::string> extra = {}) {
  ObservedService s;
  s.id = "svc-" + svc + "-" + instance;
  s.name = "demo-" + svc + "-" + instance;
  s.labels = {{"dockerops.project", "demo"}, {"dockerops.service", svc}, {"dockerops.instance", instance}};
  for (auto& [k, v] : extra)
    s.labels[k] = v;
  s.replicas = 1;
  s.tasks = std::move(tasks);
  return s;
}

// Three nodes; the DNS on each; web/one, web/two, web/three (one relocated from n3 to n1, the old
// task still reported running by the lost node), db/main pending, the registry.
ObservedSwarm demo_swarm() {
  ObservedSwarm swarm;
  swarm.manager_id = "id-n1";
  swarm.nameserver = "172.18.0.1";
  swarm.nodes = {{"id-n1", "n1", "manager", "ready", "active", "10.9.0.2", {}},
                 {"id-n2", "n2", "worker", "ready", "active", "10.9.0.3", {}},
                 {"id-n3", "n3", "worker", "down", "active", "10.9.0.4", {}}};
  ObservedService dns = service("dockerops-dns", "master",
                                {task("d1", 0, "id-n1", "running", "running", "10.0.4.2"),
                                 task("d2", 0, "id-n2", "running", "running", "10.0.4.3"),
                                 task("d3", 0, "id-n3", "running", "running", "10.0.4.4")});
  dns.global = true;
  swarm.services = {
      dns,
      service("web", "one",
              {task("w1-new", 1, "id-n1", "running", "running", "10.0.4.21"),
               task("w1-old", 1, "id-n3", "running", "shutdown", "10.0.4.11")}),
      service("web", "two", {task("w2", 1, "id-n2", "running", "running", "10.0.4.12")}),
      service("web", "three",
              {task("w3", 1, "id-n2", "running", "running", "10.0.4.13"),
               task("w3-failed", 1, "id-n1", "failed", "shutdown", "10.0.4.9")}),
      service("db", "main", {task("db", 1, "", "pending", "running", "")}),
      service("registry", "", {task("r", 1, "id-n1", "running", "running", "10.0.4.30")},
              {{"dockerops.role", "registry"}}),
      service("web", "other-project", {task("x", 1, "id-n1", "running", "running", "10.0.5.2")},
              {{"dockerops.project", "other"}}),
  };
  return swarm;
}

std::vector<std::string> lines(const std::vector<DnsRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records)
    out.push_back(r.hostname + " " + r.service + " " + r.ip + " " +
                  std::string(project::to_string(r.policy)));
  return out;
}

} // namespace

TEST(SwarmDns, RecordsAreTheRunningTasksOnly) {
  // The relocated web/one has its new address only; the failed and the orphaned tasks, the pending
  // db (no address), the DNS itself, the registry and another project's service give nothing.
  EXPECT_EQ(lines(swarm_dns_records(demo_swarm(), "demo", "local.zone")),
            (std::vector<std::string>{"web-one web 10.0.4.21 APPEND", "web-three web 10.0.4.13 APPEND",
                                      "web-two web 10.0.4.12 APPEND"}));
}

TEST(SwarmDns, HostnamePolicyAndCountedInstances) {
  ObservedSwarm swarm = demo_swarm();
  swarm.services[2].hostname = "custom";
  swarm.services[2].env = {"A=1", "DNS_UPDATE_POLICY=REPLACE"};
  // One service for counted instances (web/w1, web/w2): names from the task slot.
  ObservedService counted = service("api", "w",
                                    {task("a1", 1, "id-n1", "running", "running", "10.0.4.41"),
                                     task("a2", 2, "id-n2", "running", "running", "10.0.4.42")},
                                    {{"dockerops.replicas", "2"}, {"dockerops.instance-prefix", "w"}});
  counted.labels.erase("dockerops.instance"); // a counted service names no instance of its own
  swarm.services.push_back(counted);
  ObservedService templated =
      service("job", "x", {task("j3", 3, "id-n2", "running", "running", "10.0.4.50")});
  templated.hostname = "{{.Service.Name}}-{{.Task.Slot}}";
  swarm.services.push_back(templated);
  EXPECT_EQ(lines(swarm_dns_records(swarm, "demo", "local.zone")),
            (std::vector<std::string>{"api-w1 api 10.0.4.41 APPEND", "api-w2 api 10.0.4.42 APPEND",
                                      "custom web 10.0.4.12 REPLACE", "demo-job-x-3 job 10.0.4.50 APPEND",
                                      "web-one web 10.0.4.21 APPEND", "web-three web 10.0.4.13 APPEND"}));
}

TEST(SwarmDns, TargetsAreTheRunningDnsTasksOnReadyNodes) {
  ObservedSwarm swarm = demo_swarm();
  auto text = [](const std::vector<SwarmDnsTarget>& targets) {
    std::vector<std::string> out;
    for (const auto& t : targets)
      out.push_back(t.node + "@" + t.address + ":" + std::to_string(t.port));
    return out;
  };
  // n3 is down: its DNS is not a target (its task is rescheduled nowhere: the service is global).
  EXPECT_EQ(text(swarm_dns_targets(swarm, "demo")),
            (std::vector<std::string>{"n1@10.9.0.2:53", "n2@10.9.0.3:53"}));
  EXPECT_EQ(text(swarm_dns_targets(swarm, "demo", SwarmDnsReach::overlay)),
            (std::vector<std::string>{"n1@10.0.4.2:53", "n2@10.0.4.3:53"}));
  swarm.nodes[2].state = "ready";
  swarm.services[0].tasks[1].state = "starting";
  EXPECT_EQ(text(swarm_dns_targets(swarm, "demo")),
            (std::vector<std::string>{"n1@10.9.0.2:53", "n3@10.9.0.4:53"}));
  EXPECT_TRUE(swarm_dns_targets(swarm, "other").empty());
}

TEST(SwarmDns, NetworkIsTheOverlaySubnet) {
  plan::ObservedState observed;
  observed.swarm = demo_swarm();
  EXPECT_EQ(swarm_dns_network(observed, "demo"), "10.0.4.2"); // a task's address until the network is seen
  observed.networks = {{"n", "demo_net", "10.0.4.0/24", {}}};
  EXPECT_EQ(swarm_dns_network(observed, "demo"), "10.0.4.0");
}

namespace {

// The real server loop (the zone and the overlay's reverse zone) on 127.0.0.1, a kernel-chosen port.
struct NodeDns {
  dns::ZoneSet zones;
  std::shared_ptr<dns::UpdateContext> context;
  std::unique_ptr<dns::Server> server;
  NodeDns() {
    using namespace dns;
    zones.add(parse_zone_text("$ORIGIN local.zone.\n$TTL 60\n@ IN SOA dns hostmaster 1 3600 600 86400 60\n"
                              "@ IN NS dns\ndns IN A 172.18.0.1\n",
                              name_from_text("local.zone."), "test.zone"));
    zones.add(
        make_minimal_zone(name_from_text("4.0.10.in-addr.arpa."), name_from_text("dns.local.zone."), ""));
    context = make_update_context(UpdateConfig{}, zones);
    context->add_key(test::test_key());
    ServerConfig config;
    config.port = 0;
    server = std::make_unique<Server>(config, zones, context);
    server->start();
  }
  ~NodeDns() {
    server->stop();
    context->close();
  }
  dns::UpdateClient client() {
    dns::ClientOptions options;
    options.server_ip = "127.0.0.1";
    options.port = server->port();
    return dns::UpdateClient(options, dns::test::test_key(), "local.zone.");
  }
};

} // namespace

TEST(SwarmDns, SyncMakesEveryAnsweringNodeHoldTheTasks) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("dockerops-swarm-dns-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / ".dockerops");
  dns::write_key_file(dns_key_path(dir), dns::test::test_key());
  NodeDns node;
  dns::UpdateClient client = node.client();
  // What the node's journal held before: web/one at its old address (the task relocated since).
  client.register_instance(
      {"web-one.local.zone.", "web.local.zone.", "10.0.4.11", dns::RegistrationPolicy::append, 60, true, ""});

  auto registrar = make_dns_registrar(dir, "demo");
  std::vector<DnsRecord> records = swarm_dns_records(demo_swarm(), "demo", "local.zone");
  DnsRetryPolicy quick;
  quick.deadline = std::chrono::milliseconds(300);
  SwarmDnsResult result =
      swarm_dns_sync(*registrar, {{"n1", "127.0.0.1", node.server->port()}, {"n2", "127.0.0.1", 1}},
                     "local.zone", "10.0.4.0", records, quick);
  ASSERT_EQ(result.nodes.size(), 2u);
  EXPECT_EQ(result.nodes[0].error, "");
  EXPECT_NE(result.nodes[1].error, ""); // nothing listens there: reported, not thrown
  EXPECT_EQ(result.failures(), 1u);
  EXPECT_EQ(result.registered, 3u);

  auto forward = dns::managed_addresses(client.transfer("local.zone."), "10.0.4.0", {});
  EXPECT_EQ(forward, (dns::AddressMap{{"web-one.local.zone.", {"10.0.4.21"}},
                                      {"web-three.local.zone.", {"10.0.4.13"}},
                                      {"web-two.local.zone.", {"10.0.4.12"}},
                                      {"web.local.zone.", {"10.0.4.12", "10.0.4.13", "10.0.4.21"}}}));
  EXPECT_EQ(dns::zone_pointers(client.transfer("4.0.10.in-addr.arpa.")),
            (dns::AddressMap{{"12.4.0.10.in-addr.arpa.", {"web-two.local.zone."}},
                             {"13.4.0.10.in-addr.arpa.", {"web-three.local.zone."}},
                             {"21.4.0.10.in-addr.arpa.", {"web-one.local.zone."}}}));
  // dns.<zone> (the gateway, outside the overlay /24) is left as the DNS made it.
  auto all = dns::managed_addresses(client.transfer("local.zone."), "172.18.0.0", {});
  EXPECT_EQ(all["dns.local.zone."], (std::set<std::string>{"172.18.0.1"}));
  // Level-triggered: a second pass changes nothing.
  result = swarm_dns_sync(*registrar, {{"n1", "127.0.0.1", node.server->port()}}, "local.zone", "10.0.4.0",
                          records, quick);
  EXPECT_EQ(result.changes(), 0u);
  std::filesystem::remove_all(dir);
}
