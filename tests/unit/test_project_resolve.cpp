#include "../support/error_of.hpp"
#include "../support/resolve_world.hpp"
#include "base/error.hpp"
#include "project/resolve.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::project;

using dockerops::testing::env_line;
using dockerops::testing::error_of;
using dockerops::testing::World;

TEST(Resolve, EnvPriorityWithSources) {
  World w(R"([
{"service": "web", "instance": "one",
 "env_vars": {"A": "conf-a", "B": "conf-b", "C": "conf-c"}}
])");
  w.host_conf.values = {{"B", "hc-b"}, {"C", "hc-c"}, {"UNDECLARED", "x"}};
  w.host.env = {{"C", "env-c"}, {"OTHER", "y"}};
  auto r = w.run().instances.at(0);
  EXPECT_EQ(env_line(r, "A"), "conf-a (run.conf run.conf:3)");
  EXPECT_EQ(env_line(r, "B"), "hc-b (host.conf)");
  EXPECT_EQ(env_line(r, "C"), "env-c (environment)");
  EXPECT_EQ(env_line(r, "UNDECLARED"), "(unset)");
  EXPECT_EQ(env_line(r, "OTHER"), "(unset)");
  EXPECT_EQ(env_line(r, "SERVICE"), "web (built-in)");
  EXPECT_EQ(env_line(r, "INSTANCE_TYPE"), "standard (built-in)");
  EXPECT_EQ(env_line(r, "PERSISTENT_DATA"), "False (built-in)");
  EXPECT_EQ(env_line(r, "HOST_HOSTNAME"), "testhost (built-in)");
  EXPECT_EQ(env_line(r, "PROJECT"), "demo (built-in)");
  EXPECT_EQ(r.container_name, "demo-web-one");
  EXPECT_EQ(r.hostname, "web-one");
  EXPECT_EQ(r.image, "demo/web:latest");
  EXPECT_EQ(r.network, "demo_net");
  EXPECT_EQ(r.labels.at("dockerops.instance-type"), "standard");
  EXPECT_EQ(r.labels.at("dockerops.conf"), "run.conf");
  EXPECT_EQ(r.labels.at("dockerops.config-hash"), r.config_hash);
}

TEST(Resolve, BuiltInsCannotBeOverridden) {
  World w(R"([{"service": "web", "instance": "one", "env_vars": {"INSTANCE": "two"}}])");
  w.host.env = {{"SERVICE", "evil"}};
  auto p = w.run();
  EXPECT_EQ(env_line(p.instances[0], "SERVICE"), "web (built-in)");
  EXPECT_EQ(env_line(p.instances[0], "INSTANCE"), "one (built-in)");
  EXPECT_EQ(
      p.messages.warnings,
      (std::vector<std::string>{"web/one: INSTANCE is built in: the value from run.conf:1 is ignored",
                                "web/one: SERVICE is built in: the value from the environment is ignored"}));
}

TEST(Resolve, FromInterface) {
  World w("[\n{\"service\": \"web\", \"instance\": \"one\",\n \"env_vars\": {\"SERVICE_IP\": "
          "\"from_br_lan0\"}}]");
  w.host_conf.values = {{"OTHER_IP", "from_eth0"}};
  auto r = w.run().instances.at(0);
  EXPECT_EQ(env_line(r, "SERVICE_IP"), "198.51.100.7 (interface from_br_lan0 (run.conf:3))");
  World bad(
      "[\n{\"service\": \"web\", \"instance\": \"one\",\n \"env_vars\": {\"SERVICE_IP\": \"from_eth9\"}}]");
  EXPECT_EQ(bad.error(),
            "run.conf:3: web/one: SERVICE_IP is \"from_eth9\" but the host has no IPv4 interface "
            "\"eth9\" (interfaces: br_lan0, eth0)");
  World env("[{\"service\": \"web\", \"instance\": \"one\", \"env_vars\": {\"X\": null}}]");
  env.host.env = {{"X", "from_wlan0"}};
  EXPECT_EQ(env.error(),
            "environment: web/one: X is \"from_wlan0\" but the host has no IPv4 interface \"wlan0\" "
            "(interfaces: br_lan0, eth0)");
}

TEST(Resolve, RequiredVariables) {
  World w("[\n{\"service\": \"web\", \"instance\": \"one\",\n \"env_vars\": {\"API_KEY\": null}}]");
  EXPECT_EQ(w.error(), "run.conf:3: web/one: API_KEY is required but has no value; set it with \"export "
                       "API_KEY=...\" or in host.conf");
  w.host_conf.values = {{"API_KEY", "k"}};
  EXPECT_EQ(env_line(w.run().instances[0], "API_KEY"), "k (host.conf)");

  World file("[]");
  file.project.services.at("base").required_vars = {"TOKEN"};
  EXPECT_EQ(file.error("base", "one"),
            "services/base/required_env_vars.json: base/one: TOKEN is required but has no "
            "value; set it with \"export TOKEN=...\" or in host.conf");
}

// --ask: the user is asked only for what has no value; an answer is used (from_<iface> too),
// no answer fails as without --ask.
TEST(Resolve, RequiredVariablesAskedForWithAsk) {
  World w("[\n{\"service\": \"web\", \"instance\": \"one\",\n \"env_vars\": {\"API_KEY\": null, "
          "\"HOST_IP\": null, \"GIVEN\": \"conf\"}}]");
  std::vector<std::string> asked;
  std::map<std::string, std::string> answers = {{"API_KEY", "typed"}, {"HOST_IP", "from_eth0"}};
  w.host.ask = [&](const std::string& name, const std::string& question) -> std::optional<std::string> {
    asked.push_back(question);
    return answers[name];
  };
  auto r = w.run().instances.at(0);
  EXPECT_EQ(env_line(r, "API_KEY"), "typed (prompt)");
  EXPECT_EQ(env_line(r, "HOST_IP"), "192.0.2.10 (interface from_eth0 (prompt))");
  EXPECT_EQ(env_line(r, "GIVEN"), "conf (run.conf run.conf:3)");
  EXPECT_EQ(asked, (std::vector<std::string>{"web/one: API_KEY is required but has no value",
                                             "web/one: HOST_IP is required but has no value"}));
  answers["API_KEY"] = "";
  EXPECT_EQ(w.error(), "run.conf:3: web/one: API_KEY is required but has no value; set it with \"export "
                       "API_KEY=...\" or in host.conf");
}

TEST(Resolve, MasterNeedsServiceIp) {
  World w("[]");
  EXPECT_EQ(w.error("web", "master"),
            "command line: web/master: SERVICE_IP is required for a master instance but "
            "has no value; set it with \"export SERVICE_IP=...\" or in host.conf");
  w.host.env = {{"SERVICE_IP", "192.0.2.99"}};
  auto p = w.run("web", "master");
  const auto& r = p.instances[0];
  EXPECT_EQ(r.type, InstanceType::master);
  EXPECT_TRUE(r.publish_ports && r.persistent_data && r.persistent_log && !r.persistent_opt);
  EXPECT_EQ(r.persistent_dir, "/p/demo/data_demo/web-master");
  EXPECT_EQ(
      p.messages.notices,
      (std::vector<std::string>{"web/master: no entry in run.conf: using the defaults of its instance type",
                                "web/master: instance type master (from the instance name)"}));
  // Published on SERVICE_IP; EXPOSE_AS remaps 9000 to 19000; UDP from #UDP_EXPOSE.
  std::vector<std::string> ports;
  for (const auto& port : r.ports)
    ports.push_back(fmt_port(port));
  EXPECT_EQ(ports, (std::vector<std::string>{"192.0.2.99:80:80/tcp", "192.0.2.99:443:443/tcp",
                                             "192.0.2.99:19000:9000/tcp", "192.0.2.99:5353:5353/udp"}));
}

TEST(Resolve, PortsFromImageAndConf) {
  World w(R"([{"service": "web", "instance": "published", "env_vars": {"PUBLISH_ON_IP": "127.0.0.1"},
  "ports": ["8080:80", "10.0.0.1:53:53/udp"]}])");
  w.input.images["demo/web:latest"] = {"sha256:abc", {"8443/tcp", "80/tcp"}};
  auto r = w.run().instances.at(0);
  EXPECT_EQ(r.type, InstanceType::published);
  EXPECT_EQ(r.image_id, "sha256:abc");
  std::vector<std::string> ports;
  for (const auto& port : r.ports)
    ports.push_back(fmt_port(port));
  EXPECT_EQ(ports, (std::vector<std::string>{"127.0.0.1:8080:80/tcp", "127.0.0.1:8443:8443/tcp",
                                             "127.0.0.1:19000:9000/tcp", "10.0.0.1:53:53/udp",
                                             "127.0.0.1:5353:5353/udp"}));
  World bad("[{\"service\": \"web\", \"instance\": \"one\",\n \"ports\": [\"80\"]}]");
  EXPECT_EQ(bad.error(),
            "run.conf:2: port \"80\" must be HOST:CONTAINER[/udp] or IP:HOST:CONTAINER[/tcp|udp]");
}

TEST(Resolve, TypesAndSwitchPrecedence) {
  World w(R"([{"service": "web", "instance": "a", "instance_type": "persistent", "persistent_log": false},
              {"service": "web", "instance": "debug"}])");
  w.input.overrides.persistent_opt = true;
  auto p = w.run();
  EXPECT_EQ(p.instances[0].type, InstanceType::persistent);
  EXPECT_TRUE(p.instances[0].persistent_data);
  EXPECT_FALSE(p.instances[0].persistent_log); // run.conf beats the type default
  EXPECT_TRUE(p.instances[0].persistent_opt);  // command line beats everything
  EXPECT_EQ(p.instances[1].type, InstanceType::debug);
  EXPECT_TRUE(p.instances[1].safemode && p.instances[1].interactive && !p.instances[1].linked);
  EXPECT_EQ(p.instances[1].command, (std::vector<std::string>{"bash"}));
  EXPECT_FALSE(p.instances[1].wait);
  World bad("[\n{\"service\": \"web\", \"instance\": \"a\", \"instance_type\": \"publshed\"}]");
  EXPECT_EQ(bad.error(), "run.conf:2: unknown instance_type \"publshed\"; did you mean \"published\"?");
  bad.input.overrides.instance_type = "mastr";
  EXPECT_EQ(bad.error(), "command line: unknown instance_type \"mastr\"; did you mean \"master\"?");
}

TEST(Resolve, RandomInstanceAndGroups) {
  World w(R"([{"service": "web", "instance": "a", "group": "front"},
              {"service": "base", "instance": null, "group": "back"},
              {"service": "base", "instance": "off", "autorun": false}])");
  auto all = w.run();
  ASSERT_EQ(all.instances.size(), 2u);
  EXPECT_EQ(all.instances[1].instance, "rnd10001");
  EXPECT_EQ(all.messages.notices,
            (std::vector<std::string>{"base/off: skipped by run:all (autorun is false)"}));
  auto back = w.run("all", std::nullopt, "back");
  ASSERT_EQ(back.instances.size(), 1u);
  EXPECT_EQ(back.instances[0].service, "base");
  EXPECT_EQ(error_of([&] { w.run("all", std::nullopt, "frnt"); }),
            "run.conf: no instances in group \"frnt\"; did you mean \"front\"?");
  auto single = w.run("web");
  EXPECT_EQ(single.instances.at(0).instance, "a");
  World none("[]");
  auto random = none.run("web");
  EXPECT_EQ(random.instances.at(0).instance, "rnd10001");
  EXPECT_EQ(random.messages.notices,
            (std::vector<std::string>{
                "web/rnd10001: no entry in run.conf: using the defaults of its instance type"}));
  EXPECT_EQ(none.error(),
            "run.conf:1: no instances to run; add entries to run.conf or name a service (run:SERVICE)");
}

// An entry without an instance name is the service's template for named instances that have no
// entry of their own; an entry of their own wins.
TEST(Resolve, EntryWithoutInstanceIsTheTemplateForNamedInstances) {
  World w("[\n{\"service\": \"web\", \"instance\": \"one\"},\n"
          "{\"service\": \"web\", \"instance\": null, \"env_vars\": {\"MODE\": \"templated\"}}]");
  auto named = w.run("web", "x");
  ASSERT_EQ(named.instances.size(), 1u);
  EXPECT_EQ(named.instances[0].instance, "x");
  EXPECT_EQ(named.instances[0].conf_line, 3);
  EXPECT_EQ(env_line(named.instances[0], "MODE"), "templated (run.conf run.conf:3)");
  EXPECT_EQ(named.messages.notices,
            (std::vector<std::string>{"web/x: no entry of its own: using the entry at "
                                      "run.conf:3 (no instance name)"}));
  auto own = w.run("web", "one");
  EXPECT_EQ(own.instances.at(0).env.count("MODE"), 0u);
  EXPECT_TRUE(own.messages.notices.empty());
}

TEST(Resolve, MissingServiceFolder) {
  World w("[\n{\"service\": \"webx\", \"instance\": \"a\"}]");
  EXPECT_EQ(
      w.error(),
      "run.conf:2: service \"webx\" has no folder services/webx with a Dockerfile; did you mean \"web\"?");
  World old("[{\"service\": \"dockerops-dns-ubuntu14.04\", \"instance\": \"master\"}]");
  EXPECT_EQ(old.error(),
            "run.conf:1: \"dockerops-dns-ubuntu14.04\" is the old DockerOps DNS; use \"service\": "
            "\"dockerops-dns\" (image dockerops/dns)");
  World base("[{\"service\": \"dockerops-base-ubuntu14.04\", \"instance\": \"one\"}]");
  EXPECT_EQ(base.error(),
            "run.conf:1: \"dockerops-base-ubuntu14.04\" is not a built-in service (dockerops-dns, "
            "dockerops-agent, dockerops-base); the base image is now dockerops/base");
}

TEST(Resolve, DnsAndLegacyLink) {
  World w(R"([{"service": "dockerops-dns", "instance": "master"},
              {"service": "web", "instance": "one", "links": ["dockerops-dns-master:dns"],
               "env_vars": {"DNS_UPDATE_POLICY": "replace"}}])");
  auto p = w.run();
  const auto& dns = p.instances[0];
  EXPECT_TRUE(dns.is_dns && dns.builtin_service);
  EXPECT_EQ(dns.image, "dockerops/dns:latest");
  EXPECT_EQ(dns.ipv4_address, "172.30.4.2");
  EXPECT_TRUE(dns.publish_ports);
  std::vector<std::string> ports;
  for (const auto& port : dns.ports)
    ports.push_back(fmt_port(port));
  EXPECT_EQ(ports, (std::vector<std::string>{"127.0.0.1:53:53/tcp", "127.0.0.1:53:53/udp"}));
  const auto& web = p.instances[1];
  EXPECT_EQ(web.dns_server, "172.30.4.2");
  EXPECT_EQ(web.dns_search, "local.zone");
  EXPECT_EQ(web.dns_policy, DnsPolicy::replace);
  EXPECT_EQ(env_line(web, "DNS_SERVICE_IP"), "172.30.4.2 (built-in)");
  ASSERT_EQ(web.links.size(), 1u);
  EXPECT_EQ(web.links[0].target_container, "demo-dockerops-dns-master");
  World two(R"([{"service": "dockerops-dns", "instance": "a"},
{"service": "dockerops-dns", "instance": "b"}])");
  EXPECT_EQ(two.error(),
            "run.conf:2: a second dockerops-dns instance (first at line 1); a project has at most one");
}

TEST(Resolve, DnsUpdatePolicy) {
  EXPECT_EQ(parse_dns_policy("append"), DnsPolicy::append);
  EXPECT_EQ(parse_dns_policy(" Hide "), DnsPolicy::hide);
  EXPECT_EQ(parse_dns_policy("APEND"), std::nullopt);
  EXPECT_EQ(dns_policy_in_env({"A=1", "DNS_UPDATE_POLICY=hide"}), DnsPolicy::hide);
  EXPECT_EQ(dns_policy_in_env({"A=1"}), DnsPolicy::append);
  EXPECT_EQ(dns_policy_in_env({"DNS_UPDATE_POLICY=sometimes"}), DnsPolicy::append);
  World w("[\n{\"service\": \"web\", \"instance\": \"one\",\n \"env_vars\": {\"DNS_UPDATE_POLICY\": "
          "\"REPLACE\"}}]");
  EXPECT_EQ(w.run().instances.at(0).dns_policy, DnsPolicy::replace);
  w.host.env = {{"DNS_UPDATE_POLICY", "apend"}};
  EXPECT_EQ(w.error(), "environment: web/one: DNS_UPDATE_POLICY is \"apend\"; did you mean \"APPEND\"?");
  World conf("[\n{\"service\": \"web\", \"instance\": \"one\",\n \"env_vars\": {\"DNS_UPDATE_POLICY\": "
             "\"sometimes\"}}]");
  EXPECT_EQ(conf.error(),
            "run.conf:3: web/one: DNS_UPDATE_POLICY is \"sometimes\"; use APPEND, REPLACE or HIDE");
}

TEST(Resolve, Links) {
  World w(
      R"([{"service": "web", "instance": "one", "links": [{"name": "base", "service": "base", "instance": null},
                                                          "we*-two:peer"]},
              {"service": "base", "instance": "b"},
              {"service": "web", "instance": "two"}])");
  w.input.running = {{"base", "a", "172.30.4.7"}};
  auto p = w.run();
  const auto& one = p.instances[0];
  // Running first: base/a (running) beats base/b (planned).
  EXPECT_EQ(env_line(one, "BASE_SERVICE_IP"), "172.30.4.7 (link demo-base-a)");
  EXPECT_EQ(one.env.at("PEER_SERVICE_IP").pending_link_container, "demo-web-two");
  EXPECT_EQ(p.messages.notices,
            (std::vector<std::string>{"web/one: link \"base\" uses base/a (2 candidates, running first)"}));

  World missing("[\n{\"service\": \"web\", \"instance\": \"one\",\n \"links\": [\"base-x:db\"]}]");
  EXPECT_EQ(missing.error(), "run.conf:3: web/one: link \"db\" finds no instance of base/x; run one, or set "
                             "DB_SERVICE_IP (export or host.conf) for a remote service");
  missing.host.env = {{"DB_SERVICE_IP", "203.0.113.5"}};
  auto remote = missing.run().instances.at(0);
  EXPECT_EQ(env_line(remote, "DB_SERVICE_IP"), "203.0.113.5 (environment)");
  EXPECT_EQ(remote.links.at(0).target_container, "");
}

TEST(Resolve, Volumes) {
  World w(R"([{"service": "web", "instance": "one", "ssh_keys": true,
    "volumes": ["rel/dir:/a", "$PROJECT_DIR/x/../y:/b:ro", "/abs:/c"]}])");
  auto r = w.run().instances.at(0);
  std::vector<std::string> mounts;
  for (const auto& v : r.volumes)
    mounts.push_back(v.host_path + ":" + v.container_path + (v.mode.empty() ? "" : ":" + v.mode));
  EXPECT_EQ(mounts,
            (std::vector<std::string>{"/p/demo/.dockerops/id_ed25519.pub:/run/dockerops/authorized_keys:ro",
                                      "/p/demo/.dockerops/id_ed25519:/run/dockerops/id_ed25519:ro",
                                      "/p/demo/rel/dir:/a", "/p/demo/y:/b:ro", "/abs:/c"}));
  World bad("[{\"service\": \"web\", \"instance\": \"one\", \"volumes\": \"a:b\"}]");
  EXPECT_EQ(bad.error(), "run.conf:1: volume \"a:b\" must be HOST_PATH:/CONTAINER_PATH[:ro]");
}

TEST(Resolve, HashIsStableAndCoversTheImage) {
  const std::string text = R"([{"service": "web", "instance": "one", "env_vars": {"A": "1"}}])";
  World a(text), b(text);
  EXPECT_EQ(a.run().instances[0].config_hash, b.run().instances[0].config_hash);
  EXPECT_EQ(a.run().instances[0].canonical(), b.run().instances[0].canonical());
  b.input.images["demo/web:latest"] = {"sha256:new", {}};
  EXPECT_NE(a.run().instances[0].config_hash, b.run().instances[0].config_hash);
  World c(R"([{"service": "web", "instance": "one", "env_vars": {"A": "2"}}])");
  EXPECT_NE(a.run().instances[0].config_hash, c.run().instances[0].config_hash);
  EXPECT_EQ(a.run().instances[0].config_hash.size(), 16u);
}

TEST(Filter, PrefixAndInstance) {
  EXPECT_TRUE(matches_filter("web", "", "web", "one"));
  EXPECT_FALSE(matches_filter("web", "", "web-x", "one"));
  EXPECT_TRUE(matches_filter("we*", "", "web-x", "one"));
  EXPECT_FALSE(matches_filter("we*", "two", "web", "one"));
  EXPECT_TRUE(matches_filter("all", "", "x", "y"));
  EXPECT_EQ(split_service_instance("dockerops-dns-master"),
            (std::pair<std::string, std::string>{"dockerops-dns", "master"}));
}

TEST(Resolve, DnsDeclaredButNotStarted) {
  World w(R"([{"service": "dockerops-dns", "instance": "master"}, {"service": "web", "instance": "one"}])");
  auto p = w.run("web", std::string("one"));
  EXPECT_EQ(p.instances.at(0).dns_server, "");
  EXPECT_EQ(env_line(p.instances[0], "DNS_SERVICE_IP"), "(unset)");
  EXPECT_EQ(p.messages.notices,
            (std::vector<std::string>{
                "dockerops-dns is in run.conf but not running: start it (run:dockerops-dns) for "
                "name resolution"}));
  w.input.running = {{"dockerops-dns", "master", "172.30.4.2"}};
  EXPECT_EQ(w.run("web", std::string("one")).instances.at(0).dns_server, "172.30.4.2");
}

TEST(Resolve, NethostAndNames) {
  World w(R"([{"service": "web", "instance": "one", "nethost": true, "hostname": "ignored"}])");
  auto r = w.run().instances.at(0);
  EXPECT_EQ(r.hostname, "");
  EXPECT_EQ(r.network, "");
  World bad("[\n{\"service\": \"web\", \"instance\": \"a b\"}]");
  EXPECT_EQ(bad.error(),
            "run.conf:2: instance \"a b\" must start with a letter or digit and contain only letters, "
            "digits, '_', '.' and '-'");
  World all("[{\"service\": \"web\", \"instance\": \"one\"}]");
  all.input.overrides.interactive = true;
  EXPECT_EQ(all.error(),
            "interactive and safemode runs take one service: run:SERVICE,instance=NAME,interactive=true");
  auto single = all.run("web", std::string("one")).instances.at(0);
  EXPECT_TRUE(single.interactive);
  EXPECT_EQ(single.command, (std::vector<std::string>{"bash"}));
}

TEST(Resolve, BuiltInBaseService) {
  World w(R"([{"service": "dockerops-base", "instance": "one"}])");
  auto r = w.run().instances.at(0);
  EXPECT_TRUE(r.builtin_service);
  EXPECT_FALSE(r.is_dns);
  EXPECT_EQ(r.image, "dockerops/base:latest");
  EXPECT_EQ(r.container_name, "demo-dockerops-base-one");
}

TEST(Resolve, DnsPortsWhateverTheImageDeclares) {
  World w(R"([{"service": "dockerops-dns", "instance": "master", "ports": ["127.0.0.1:5300:53/udp"]}])");
  w.input.images["dockerops/dns:latest"] = {"sha256:dns", {}};
  auto dns = w.run().instances.at(0);
  std::vector<std::string> ports;
  for (const auto& port : dns.ports)
    ports.push_back(fmt_port(port));
  EXPECT_EQ(ports, (std::vector<std::string>{"127.0.0.1:53:53/tcp", "127.0.0.1:5300:53/udp"}));
}

TEST(Resolve, WatchesAreSortedLabelledAndHashed) {
  World w(R"([
{"service": "base", "instance": "lb", "watches": ["web", "dockerops-dns", "web"]},
{"service": "base", "instance": "plain"}
])");
  auto p = w.run();
  ASSERT_EQ(p.instances.size(), 2u);
  EXPECT_EQ(p.instances[0].watches, (std::vector<std::string>{"dockerops-dns", "web"}));
  EXPECT_EQ(p.instances[0].labels.at("dockerops.watches"), "dockerops-dns,web");
  EXPECT_TRUE(p.instances[1].watches.empty());
  EXPECT_EQ(p.instances[1].labels.count("dockerops.watches"), 0u);
  // Watching is configuration: another list is another hash (the container is recreated).
  World other(R"([
{"service": "base", "instance": "lb", "watches": ["web"]},
{"service": "base", "instance": "plain"}
])");
  auto q = other.run();
  EXPECT_NE(p.instances[0].config_hash, q.instances[0].config_hash);
  EXPECT_EQ(p.instances[1].config_hash, q.instances[1].config_hash);
}

TEST(Resolve, WatchingAnUnknownServiceSaysWhere) {
  World w("[\n{\"service\": \"base\", \"instance\": \"lb\",\n \"watches\": [\"wbe\"]}]");
  EXPECT_EQ(w.error(),
            "run.conf:3: \"watches\": service \"wbe\" has no folder services/wbe with a Dockerfile; "
            "did you mean \"web\"?");
}

TEST(Resolve, RestartPolicy) {
  EXPECT_EQ(parse_restart_policy("on-failure"), RestartPolicy::on_failure);
  EXPECT_EQ(parse_restart_policy("Always"), std::nullopt);
  World none(R"([{"service": "web", "instance": "one"}])");
  World always(R"([{"service": "web", "instance": "one", "restart": "always"}])");
  World no(R"([{"service": "web", "instance": "one", "restart": "no"}])");
  auto plain = none.run().instances.at(0);
  auto kept = always.run().instances.at(0);
  EXPECT_EQ(plain.restart, RestartPolicy::no);
  EXPECT_EQ(plain.labels.at("dockerops.restart"), "no");
  EXPECT_EQ(kept.restart, RestartPolicy::always);
  EXPECT_EQ(kept.labels.at("dockerops.restart"), "always");
  // A changed policy is a changed configuration; "no" hashes as an entry without the key.
  EXPECT_NE(plain.config_hash, kept.config_hash);
  EXPECT_EQ(plain.config_hash, no.run().instances.at(0).config_hash);
  EXPECT_EQ(plain.canonical().find("restart"), std::string::npos);
  World interactive(R"([{"service": "web", "instance": "one", "restart": "always", "interactive": true}])");
  EXPECT_EQ(interactive.run().instances.at(0).restart, RestartPolicy::no);
}

TEST(Resolve, TheAgentIsABuiltInOnTheHostNetworkWithTheSocketAndTheProject) {
  World w(R"([{"service": "dockerops-dns", "instance": "main"},
              {"service": "dockerops-agent", "instance": "main", "restart": "always"}])");
  w.host.env = {{"DOCKER_HOST", "unix:///run/other/docker.sock"}};
  auto p = w.run();
  const ResolvedInstance& agent = p.instances.at(1);
  EXPECT_TRUE(agent.is_agent);
  EXPECT_TRUE(agent.builtin_service);
  EXPECT_EQ(agent.image, "dockerops/agent:latest");
  EXPECT_TRUE(agent.nethost);
  EXPECT_EQ(agent.network, "");
  EXPECT_EQ(agent.restart, RestartPolicy::no); // the daemon restarts it, not the agent
  EXPECT_EQ(agent.daemon_restart, "unless-stopped");
  std::vector<std::string> mounts;
  for (const auto& v : agent.volumes)
    mounts.push_back(v.host_path + ":" + v.container_path + (v.mode.empty() ? "" : ":" + v.mode));
  EXPECT_EQ(mounts,
            (std::vector<std::string>{"/p/demo/.dockerops/id_ed25519.pub:/run/dockerops/authorized_keys:ro",
                                      "/run/other/docker.sock:/var/run/docker.sock", "/p/demo:/p/demo",
                                      "/sys/fs/cgroup:/run/dockerops/cgroup:ro"}));
  EXPECT_EQ(env_line(agent, "DOCKEROPS_PROJECT_DIR"), "/p/demo (built-in)");
  EXPECT_EQ(env_line(agent, "DOCKEROPS_CGROUP_ROOT"), "/run/dockerops/cgroup (built-in)");
  EXPECT_NE(agent.canonical().find("\"daemon_restart\":\"unless-stopped\""), std::string::npos);
}
