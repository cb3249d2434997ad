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
ObservedState five_running(const std::string& extra = "") {
  ResolvedProject five = resolve_web(5, extra);
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
#5 drain demo-web-w5 60s after #4: out of the DNS: clients and load balancers stop sending first
#6 stop demo-web-w5 after #5: scale-in: web/w1..w2 are wanted
#7 remove demo-web-w5 after #6: scale-in: web/w1..w2 are wanted
#8 dns-deregister demo-web-w4: before the stop
#9 drain demo-web-w4 60s after #8: out of the DNS: clients and load balancers stop sending first
#10 stop demo-web-w4 after #9: scale-in: web/w1..w2 are wanted
#11 remove demo-web-w4 after #10: scale-in: web/w1..w2 are wanted
#12 dns-deregister demo-web-w3: before the stop
#13 drain demo-web-w3 60s after #12: out of the DNS: clients and load balancers stop sending first
#14 stop demo-web-w3 after #13: scale-in: web/w1..w2 are wanted
#15 remove demo-web-w3 after #14: scale-in: web/w1..w2 are wanted
)");
  // The drains run side by side: the whole scale-in takes one drain period.
  EXPECT_EQ(plan.waves().at(1), (std::vector<int>{2, 3, 5, 9, 13}));
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

TEST(PlanScale, DrainComesFromTheRunConfThroughTheLabel) {
  Plan plan = plan_run(resolve_web(4, R"(, "drain": 5)"), five_running(R"(, "drain": 5)"), {"172.30.4.0/24"});
  EXPECT_NE(ops(plan).find("#7 drain demo-web-w5 5s after #6"), std::string::npos) << ops(plan);
  // "drain": 0 goes straight from the deregistration to the stop.
  Plan none = plan_run(resolve_web(4, R"(, "drain": 0)"), five_running(R"(, "drain": 0)"), {"172.30.4.0/24"});
  EXPECT_EQ(ops(none).find("drain"), std::string::npos) << ops(none);
  EXPECT_NE(ops(none).find("#7 stop demo-web-w5 after #6"), std::string::npos) << ops(none);
}

TEST(PlanScale, GracefulCleanOfOneInstance) {
  Filter one;
  one.service = "web";
  one.instance = "w3";
  EXPECT_EQ(ops(plan_clean("demo", five_running(), one, "local.zone", true)),
            R"(#1 dns-deregister demo-web-w3: before the stop
#2 drain demo-web-w3 60s after #1: out of the DNS: clients and load balancers stop sending first
#3 stop demo-web-w3 after #2: running
#4 remove demo-web-w3 after #3: stopped
)");
  // Not asked for: no drain, as before.
  EXPECT_EQ(ops(plan_clean("demo", five_running(), one)).find("drain"), std::string::npos);
  EXPECT_NE(ops(plan_stop("demo", five_running(), one, "local.zone", true)).find("drain demo-web-w3 60s"),
            std::string::npos);
}
