#include "../support/error_of.hpp"
#include "base/error.hpp"
#include "plan/planner.hpp"
#include "project/resolve.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::plan;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

// The demo project: a DNS, a base instance and a web instance linked to it.
const char* k_conf = R"([
  {"service": "dockerops-dns", "instance": "master"},
  {"service": "web", "instance": "one", "sleep": 2,
   "links": [{"name": "BASE", "service": "base", "instance": null}],
   "env_vars": {"GREETING": "hello # not a comment", "SERVICE_IP": "from_eth0", "API_TOKEN": "s3cret"}},
  {"service": "base", "instance": "one", "wait": false}
])";

ResolvedProject resolve_demo(const std::map<std::string, ImageFacts>& images = {}) {
  static Project project = [] {
    Project p = make_project({"/p/demo", "", "", ""});
    add_service(p, "web", "FROM dockerops/base\nEXPOSE 80\n", "");
    add_service(p, "base", "FROM dockerops/base\n", "");
    return p;
  }();
  static RunConf conf = parse_run_conf(k_conf, "run.conf");
  static HostConf host_conf;
  static HostInfo host = [] {
    HostInfo h;
    h.interfaces = {{"eth0", "192.0.2.10"}};
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
  input.images = images;
  return resolve(input);
}

ObservedContainer container(const ResolvedInstance& r, const std::string& state, const std::string& hash) {
  return {"id-" + r.service + "-" + r.instance,
          r.container_name,
          {{"dockerops.project", r.project},
           {"dockerops.service", r.service},
           {"dockerops.instance", r.instance},
           {"dockerops.instance-type", std::string(to_string(r.type))},
           {"dockerops.conf", r.conf},
           {"dockerops.config-hash", hash}},
          state,
          r.image_id,
          ""};
}

} // namespace

TEST(PlanRun, FreshProjectGolden) {
  auto project = resolve_demo({{"demo/web:latest", {"sha256:0123456789abcdef0123", {"80/tcp"}}}});
  Plan plan = plan_run(project, {}, {"172.30.4.0/24"});
  const auto& dns = project.instances[0];
  const auto& web = project.instances[1];
  const auto& base = project.instances[2];
  std::string expected = fmt::format(R"(run plan for project demo: 9 operations
wave 1
  #1 create-network demo_net 172.30.4.0/24: not created yet
wave 2
  #2 create demo-dockerops-dns-master after #1: not created yet
      image dockerops/dns:latest (not built yet)
      type master, hash {}
      network demo_net at 172.30.4.2, hostname dockerops-dns-master
      port 127.0.0.1:53:53/tcp
      port 127.0.0.1:53:53/udp
      volume /p/demo/data_demo/dockerops-dns-master:/persistent
      volume /p/demo/.dockerops/id_ed25519.pub:/run/dockerops/authorized_keys:ro
      volume /p/demo/.dockerops/dns.key:/etc/dockerops/dns.key:ro
      env DNS_SERVICE_IP=172.30.4.2  (built-in)
      env HOST_HOSTNAME=testhost  (built-in)
      env INSTANCE=master  (built-in)
      env INSTANCE_TYPE=master  (built-in)
      env PERSISTENT_DATA=True  (built-in)
      env PERSISTENT_LOG=True  (built-in)
      env PERSISTENT_OPT=False  (built-in)
      env PROJECT=demo  (built-in)
      env SAFEMODE=False  (built-in)
      env SERVICE=dockerops-dns  (built-in)
wave 3
  #3 wait-ready demo-dockerops-dns-master 120s after #2: until "[dockerops] ready"
wave 4
  #4 create demo-base-one after #1 #3: not created yet
      image demo/base:latest (not built yet)
      type standard, hash {}
      network demo_net, hostname base-one
      resolver 172.30.4.2 (search local.zone)
      flags no-wait
      volume /p/demo/.dockerops/id_ed25519.pub:/run/dockerops/authorized_keys:ro
      env DNS_SERVICE_IP=172.30.4.2  (built-in)
      env HOST_HOSTNAME=testhost  (built-in)
      env INSTANCE=one  (built-in)
      env INSTANCE_TYPE=standard  (built-in)
      env PERSISTENT_DATA=False  (built-in)
      env PERSISTENT_LOG=False  (built-in)
      env PERSISTENT_OPT=False  (built-in)
      env PROJECT=demo  (built-in)
      env SAFEMODE=False  (built-in)
      env SERVICE=base  (built-in)
wave 5
  #5 dns-register demo-base-one APPEND after #4: base-one.local.zone and base.local.zone
wave 6
  #6 create demo-web-one after #1 #3 #5: not created yet
      image demo/web:latest (sha256:0123456789ab)
      type standard, hash {}
      network demo_net, hostname web-one
      resolver 172.30.4.2 (search local.zone)
      volume /p/demo/.dockerops/id_ed25519.pub:/run/dockerops/authorized_keys:ro
      link BASE -> demo-base-one
      env API_TOKEN=********  (run.conf:5)
      env BASE_SERVICE_IP=<ip of demo-base-one>  (link demo-base-one)
      env DNS_SERVICE_IP=172.30.4.2  (built-in)
      env GREETING=hello # not a comment  (run.conf:5)
      env HOST_HOSTNAME=testhost  (built-in)
      env INSTANCE=one  (built-in)
      env INSTANCE_TYPE=standard  (built-in)
      env PERSISTENT_DATA=False  (built-in)
      env PERSISTENT_LOG=False  (built-in)
      env PERSISTENT_OPT=False  (built-in)
      env PROJECT=demo  (built-in)
      env SAFEMODE=False  (built-in)
      env SERVICE=web  (built-in)
      env SERVICE_IP=192.0.2.10  (interface from_eth0 (run.conf:5))
wave 7
  #7 dns-register demo-web-one APPEND after #6: web-one.local.zone and web.local.zone
wave 8
  #8 wait-ready demo-web-one 120s after #7: until "[dockerops] ready"
wave 9
  #9 sleep demo-web-one 2s after #8: run.conf sleep
notice: dockerops-dns/master: instance type master (from the instance name)
)",
                                     dns.config_hash, base.config_hash, web.config_hash);
  EXPECT_EQ(plan.to_string(), expected);
}

namespace {

// The plan text without the per-instance detail lines: the operations only.
std::string outline(const Plan& plan) {
  std::string out;
  std::string text = plan.to_string();
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.rfind("      ", 0) != 0)
      out += line + "\n";
    start = end + 1;
  }
  return out;
}

} // namespace

TEST(PlanRun, KeepRecreateReplaceAndOrphans) {
  auto project = resolve_demo({{"demo/web:latest", {"sha256:new", {}}}});
  const auto& dns = project.instances[0];
  const auto& web = project.instances[1];
  const auto& base = project.instances[2];
  ObservedState observed;
  observed.networks = {{"net-id", "demo_net", "172.30.4.0/24", {}}};
  observed.containers = {container(dns, "running", dns.config_hash), container(web, "running", "stale"),
                         container(base, "exited", base.config_hash)};
  observed.containers[1].image_id = "sha256:old";
  ObservedContainer orphan = container(base, "running", "x");
  orphan.id = "id-orphan";
  orphan.name = "demo-old-gone";
  orphan.labels["dockerops.service"] = "old";
  orphan.labels["dockerops.instance"] = "gone";
  observed.containers.push_back(orphan);
  ObservedContainer stranger = orphan;
  stranger.name = "other-x-y";
  stranger.labels["dockerops.project"] = "other";
  observed.containers.push_back(stranger);

  Plan mixed = plan_run(project, observed, {"172.30.4.0/24", true});
  // An exited container replaced counts as recreated; network, DNS and waits are not instances.
  EXPECT_EQ(mixed.summary(), "run: 4 instances: 2 recreated, 1 removed, 1 up to date\n");
  EXPECT_EQ(outline(mixed),
            R"(run plan for project demo: 10 operations
wave 1
  #1 keep demo-dockerops-dns-master: up to date
  #9 dns-deregister demo-old-gone: before the remove
wave 2
  #2 replace demo-base-one after #1: container is exited
  #10 remove demo-old-gone after #9: orphan: not in the run conf
wave 3
  #3 dns-register demo-base-one APPEND after #2: base-one.local.zone and base.local.zone
wave 4
  #4 dns-deregister demo-web-one after #1 #3: before the recreate
wave 5
  #5 recreate demo-web-one after #4: image changed
wave 6
  #6 dns-register demo-web-one APPEND after #5: web-one.local.zone and web.local.zone
wave 7
  #7 wait-ready demo-web-one 120s after #6: until "[dockerops] ready"
wave 8
  #8 sleep demo-web-one 2s after #7: run.conf sleep
notice: dockerops-dns/master: instance type master (from the instance name)
)");
  // Without remove_orphans the orphan stays; with everything up to date all is kept.
  observed.containers[1] = container(web, "running", web.config_hash);
  observed.containers[2] = container(base, "running", base.config_hash);
  EXPECT_EQ(outline(plan_run(project, observed, {"172.30.4.0/24"})),
            R"(run plan for project demo: 3 operations
wave 1
  #1 keep demo-dockerops-dns-master: up to date
wave 2
  #2 keep demo-base-one after #1: up to date
wave 3
  #3 keep demo-web-one after #1 #2: up to date
notice: dockerops-dns/master: instance type master (from the instance name)
)");
  // rerun recreates even what is up to date.
  RunOptions rerun{"172.30.4.0/24", false, true, "rerun"};
  EXPECT_NE(outline(plan_run(project, observed, rerun))
                .find("#1 recreate demo-dockerops-dns-master: rerun requested"),
            std::string::npos);
  // A changed type is named as the cause.
  observed.containers[2].labels["dockerops.instance-type"] = "published";
  observed.containers[2].labels["dockerops.config-hash"] = "old";
  EXPECT_NE(outline(plan_run(project, observed, {"172.30.4.0/24"}))
                .find("recreate demo-base-one after #2: instance type changed (published -> standard)"),
            std::string::npos);
}

TEST(PlanRun, Deterministic) {
  auto a = plan_run(resolve_demo(), {}, {"172.30.4.0/24"}).to_string();
  auto b = plan_run(resolve_demo(), {}, {"172.30.4.0/24"}).to_string();
  EXPECT_EQ(a, b);
}

TEST(PlanRun, LinkCycle) {
  ResolvedProject p;
  p.name = "demo";
  p.network = "demo_net";
  int line = 2;
  for (auto [service, target] : {std::pair{"a", "b"}, {"b", "c"}, {"c", "a"}}) {
    ResolvedInstance r;
    r.service = service;
    r.instance = "one";
    r.conf = "run.conf";
    r.conf_line = line++;
    r.container_name = std::string("demo-") + service + "-one";
    r.links.push_back({"x", target, "one", std::string("demo-") + target + "-one"});
    p.instances.push_back(r);
  }
  EXPECT_EQ(error_of([&] { plan_run(p, {}, {"172.30.4.0/24"}); }),
            "run.conf:4: link cycle: a/one -> b/one -> c/one -> a/one");
}

TEST(PlanUp, MissingFilesAndImagesComeFirst) {
  static Project project = [] {
    Project p = make_project({"/p/demo", "", "", ""});
    add_service(p, "web", "FROM demo/base\nEXPOSE 80\n", "");
    add_service(p, "base", "FROM dockerops/base\n", "");
    return p;
  }();
  auto resolved = resolve_demo(); // no image exists: web, base and dockerops/dns are built
  Plan plan = plan_up(project, resolved, {}, {"172.30.4.0/24"});
  std::string text = outline(plan);
  EXPECT_EQ(text.substr(0, text.find("wave 2")), R"(run plan for project demo: 13 operations
wave 1
  #1 build-image dockerops/dns:latest from dockerops/base: image does not exist
  #2 build-image demo/base:latest from dockerops/base: image does not exist
  #4 project-files /p/demo .dockerops/id_ed25519 .dockerops/dns.key: instances mount them
  #5 create-network demo_net 172.30.4.0/24: not created yet
)");
  EXPECT_NE(text.find("  #3 build-image demo/web:latest from demo/base after #2: image does not exist\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  #6 create demo-dockerops-dns-master after #1 #4 #5: not created yet\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  #10 create demo-web-one after #3 #4 #5 #7 #9: not created yet\n"), std::string::npos)
      << text;
  // With the files there and the images built, plan_up is plan_run.
  ObservedState observed;
  observed.project_files = {"id_ed25519", "id_ed25519.pub", "dns.key"};
  auto built = resolve_demo({{"demo/web:latest", {"sha256:1", {}}},
                             {"demo/base:latest", {"sha256:2", {}}},
                             {"dockerops/dns:latest", {"sha256:3", {}}}});
  EXPECT_EQ(plan_up(project, built, observed, {"172.30.4.0/24"}).to_string(),
            plan_run(built, observed, {"172.30.4.0/24"}).to_string());
}
