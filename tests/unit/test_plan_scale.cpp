// Scale-in in the run plan (issue 15 items 2 and 3): the instances of a counted entry above its
// count go, highest number first, each out of the DNS before it stops.
#include "plan/planner.hpp"
#include "project/resolve.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::plan;
using namespace dockerops::project;

namespace {

// web/w1..wN after the DNS, with `count` as the runtime count.
ResolvedProject resolve_web(int count, const std::string& extra = "") {
  static Project project = [] {
    Project p = make_project({"/p/demo", "", "", ""});
    add_service(p, "web", "FROM dockerops/base\n", "");
    return p;
  }();
  static RunConf conf;
  conf = parse_run_conf(R"([
  {"service": "dockerops-dns", "instance": "main"},
  {"service": "web", "instance": "w", "instances": 3)" +
                            extra + R"(}
])",
                        "run.conf");
  static HostConf host_conf;
  static HostInfo host;
  host.hostname = "testhost";
  ResolveInput input;
  input.project = &project;
  input.conf = &conf;
  input.host_conf = &host_conf;
  input.host = &host;
  input.subnet = "172.30.4.0/24";
  input.images = {{"demo/web:latest", {"sha256:web", {}}}, {"dockerops/dns:latest", {"sha256:dns", {}}}};
  input.counts = {{"web/w", {count, 3}}};
  input.running = {{"dockerops-dns", "main", "172.30.4.2"}};
  return resolve(input);
}

ObservedContainer running(const ResolvedInstance& r, const std::string& ip) {
  ObservedContainer c{"id-" + r.instance, r.container_name, r.labels, "running", r.image_id, ip};
  return c;
}

// Five instances run; the plan is made for `count`.
ObservedState five_running() {
  ResolvedProject five = resolve_web(5);
  ObservedState observed;
  observed.networks = {{"net", "demo_net", "172.30.4.0/24", {}}};
  for (std::size_t i = 0; i < five.instances.size(); ++i)
    observed.containers.push_back(running(five.instances[i], "172.30.4." + std::to_string(2 + i)));
  return observed;
}

std::string ops(const Plan& plan) {
  std::string out;
  for (const auto& op : plan.operations) {
    std::string after;
    for (int id : op.after)
      after += " #" + std::to_string(id);
    out += fmt::format("#{} {} {}{}{}: {}\n", op.id, to_string(op.kind), op.target,
                       op.seconds ? fmt::format(" {}s", op.seconds) : "",
                       after.empty() ? "" : " after" + after, op.cause);
  }
  return out;
}

} // namespace

TEST(PlanScale, ScaleInRemovesTheHighestNumbersOutOfTheDnsFirst) {
  Plan plan = plan_run(resolve_web(2), five_running(), {"172.30.4.0/24"});
  EXPECT_EQ(ops(plan), R"(#1 keep demo-dockerops-dns-main: up to date
#2 keep demo-web-w1 after #1: up to date
#3 keep demo-web-w2 after #1: up to date
#4 dns-deregister demo-web-w5: before the stop
#5 stop demo-web-w5 after #4: scale-in: web/w1..w2 are wanted
#6 remove demo-web-w5 after #5: scale-in: web/w1..w2 are wanted
#7 dns-deregister demo-web-w4: before the stop
#8 stop demo-web-w4 after #7: scale-in: web/w1..w2 are wanted
#9 remove demo-web-w4 after #8: scale-in: web/w1..w2 are wanted
#10 dns-deregister demo-web-w3: before the stop
#11 stop demo-web-w3 after #10: scale-in: web/w1..w2 are wanted
#12 remove demo-web-w3 after #11: scale-in: web/w1..w2 are wanted
)");
  EXPECT_EQ(plan.op(4).dns_server, "172.30.4.2");
  EXPECT_EQ(plan.summary(), "run: 6 instances: 3 removed, 3 up to date\n");
}

TEST(PlanScale, ScaleOutCreatesRegistersAndWaits) {
  ObservedState observed = five_running();
  observed.containers.resize(3); // DNS, w1, w2
  std::string text = ops(plan_run(resolve_web(3), observed, {"172.30.4.0/24"}));
  EXPECT_NE(text.find("#4 create demo-web-w3 after #1: not created yet\n"
                      "#5 dns-register demo-web-w3 after #4: web-w3.local.zone and web.local.zone\n"
                      "#6 wait-ready demo-web-w3 120s after #5: until \"[dockerops] ready\"\n"),
            std::string::npos)
      << text;
}

TEST(PlanScale, OneInstanceRunLeavesTheOthersAlone) {
  ResolvedProject one = resolve_web(2);
  one.counted.clear(); // run:web,instance=w1 selects no entry as a whole
  one.instances.resize(2);
  std::string text = ops(plan_run(one, five_running(), {"172.30.4.0/24"}));
  EXPECT_EQ(text.find("remove"), std::string::npos) << text;
}
