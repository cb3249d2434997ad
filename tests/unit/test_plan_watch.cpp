#include "plan/planner.hpp"

#include <gtest/gtest.h>

using namespace dockerops::plan;

namespace {

ObservedContainer make(const std::string& service, const std::string& instance, const std::string& state,
                       const std::string& ip, const std::string& watches = "") {
  ObservedContainer c{
      "id-" + service + "-" + instance,
      "p-" + service + "-" + instance,
      {{"dockerops.project", "p"}, {"dockerops.service", service}, {"dockerops.instance", instance}},
      state,
      "sha256:x",
      state == "running" ? ip : ""};
  if (!watches.empty())
    c.labels["dockerops.watches"] = watches;
  return c;
}

// web/w1 .3 and web/w2 .4 run, web/w3 is stopped, lb/main (.5) watches web and was told .3 .4.
ObservedState world() {
  ObservedState s;
  s.containers = {make("dockerops-dns", "master", "running", "172.30.4.2"),
                  make("web", "w1", "running", "172.30.4.3"), make("web", "w2", "running", "172.30.4.4"),
                  make("web", "w3", "exited", "172.30.4.10"),
                  make("lb", "main", "running", "172.30.4.5", "web")};
  ObservedWatcher lb;
  lb.container_id = "id-lb-main";
  lb.services["web"] = {{"172.30.4.3", "172.30.4.4"}, true, 0};
  s.watchers["lb/main"] = lb;
  return s;
}

Plan with_watches(Plan plan, const ObservedState& s) {
  add_watch_notifications(plan, s, "p", "/p/.dockerops/watch");
  return plan;
}

// A run plan's steps for a new instance: create, dns-register, wait-ready.
void add_new(Plan& plan, const std::string& service, const std::string& instance, const std::string& address,
             std::vector<std::string> watches = {}) {
  dockerops::project::ResolvedInstance r;
  r.service = service;
  r.instance = instance;
  r.container_name = "p-" + service + "-" + instance;
  r.watches = std::move(watches);
  int base = static_cast<int>(plan.operations.size());
  Operation create;
  create.id = base + 1;
  create.kind = OpKind::create;
  create.target = r.container_name;
  create.instance = r;
  create.address = address;
  create.cause = "not created yet";
  plan.operations.push_back(create);
  for (auto kind : {OpKind::dns_register, OpKind::wait_ready}) {
    Operation op;
    op.id = static_cast<int>(plan.operations.size()) + 1;
    op.kind = kind;
    op.target = r.container_name;
    op.after = {op.id - 1};
    op.cause = "step";
    plan.operations.push_back(op);
  }
}

} // namespace

TEST(PlanWatch, StopTellsTheWatcherOnceTheMemberLeftTheDns) {
  Filter filter;
  filter.service = "web";
  filter.instance = "w1";
  EXPECT_EQ(with_watches(plan_stop("p", world(), filter), world()).to_string(),
            R"(stop plan for project p: 3 operations
wave 1
  #1 dns-deregister p-web-w1: before the stop
wave 2
  #2 stop p-web-w1 after #1: running
  #3 watch-notify p-lb-main after #1: web changed: 0 joined, 1 left
      watched web: w2=172.30.4.4
      last delivered: 172.30.4.3 172.30.4.4
)");
}

TEST(PlanWatch, NewMembersOfOneCommandAreOneCallAfterTheirReadiness) {
  Plan plan;
  plan.command = "run";
  plan.project = "p";
  add_new(plan, "web", "w4", "172.30.4.6");
  add_new(plan, "web", "w5", "172.30.4.11");
  Plan out = with_watches(plan, world());
  ASSERT_EQ(out.operations.size(), 7u);
  const Operation& n = out.operations.back();
  EXPECT_EQ(n.kind, OpKind::watch_notify);
  EXPECT_EQ(n.target, "p-lb-main");
  EXPECT_EQ(n.after, (std::vector<int>{3, 6}));
  EXPECT_EQ(n.cause, "web changed: 2 joined, 0 left");
  ASSERT_TRUE(n.watch);
  std::vector<std::string> addresses;
  for (const auto& m : n.watch->members)
    addresses.push_back(m.address);
  // Numeric order: .11 after .6.
  EXPECT_EQ(addresses, (std::vector<std::string>{"172.30.4.3", "172.30.4.4", "172.30.4.6", "172.30.4.11"}));
  EXPECT_EQ(n.watch->reason, WatchReason::change);
  EXPECT_EQ(n.watch->state_dir, "/p/.dockerops/watch");
}

TEST(PlanWatch, NothingChangedNothingToTell) {
  Filter filter;
  filter.service = "dockerops-dns";
  Plan plan = with_watches(plan_stop("p", world(), filter), world());
  for (const auto& op : plan.operations)
    EXPECT_NE(op.kind, OpKind::watch_notify);
  EXPECT_EQ(with_watches(Plan{}, world()).operations.size(), 0u);
}

TEST(PlanWatch, ANewWatcherIsToldOnceReady) {
  Plan plan;
  plan.project = "p";
  add_new(plan, "lb", "two", "172.30.4.7", {"dockerops-dns", "web"});
  Plan out = with_watches(plan, world());
  ASSERT_EQ(out.operations.size(), 5u);
  EXPECT_EQ(out.operations[3].after, (std::vector<int>{3}));
  EXPECT_EQ(out.operations[3].watch->service, "dockerops-dns");
  EXPECT_EQ(out.operations[3].watch->reason, WatchReason::ready);
  EXPECT_EQ(out.operations[3].cause, "lb/two starts: its hooks get the 1 member of dockerops-dns");
  // One service after the other in the same container.
  EXPECT_EQ(out.operations[4].after, (std::vector<int>{3, 4}));
  EXPECT_EQ(out.operations[4].watch->members.size(), 2u);
}

TEST(PlanWatch, AnotherContainerOfTheWatcherStartsAfresh) {
  ObservedState s = world();
  s.watchers["lb/main"].container_id = "id-of-an-older-container";
  Plan out = with_watches(Plan{}, s);
  ASSERT_EQ(out.operations.size(), 1u);
  EXPECT_EQ(out.operations[0].watch->reason, WatchReason::ready);
  EXPECT_TRUE(out.operations[0].after.empty());
  EXPECT_EQ(out.operations[0].cause, "lb/main has had no delivery: its hooks get the 2 members of web");
}

TEST(PlanWatch, AStartedMemberIsToldWithTheAddressItGetsThen) {
  Filter filter;
  filter.service = "web";
  filter.instance = "w3";
  Plan out = with_watches(plan_start("p", world(), filter), world());
  ASSERT_EQ(out.operations.size(), 3u);
  EXPECT_EQ(out.operations[2].after, (std::vector<int>{2}));
  EXPECT_EQ(out.operations[2].cause, "web changed: 1 joined, 0 left");
  EXPECT_NE(out.to_string().find("watched web: w1=172.30.4.3 w2=172.30.4.4 w3=<address once started>"),
            std::string::npos);
}

TEST(PlanWatch, AFailedDeliveryIsRetriedByTheNextPlan) {
  ObservedState s = world();
  s.watchers["lb/main"].services["web"] = {{"172.30.4.3"}, true, 2};
  Plan out = with_watches(Plan{}, s);
  ASSERT_EQ(out.operations.size(), 1u);
  EXPECT_EQ(out.operations[0].watch->reason, WatchReason::retry);
  EXPECT_EQ(out.operations[0].cause, "web changed: 1 joined, 0 left (after 2 failed attempts)");
}

TEST(PlanWatch, AStoppedWatcherIsNotTold) {
  Filter filter;
  filter.service = "lb";
  Plan plan = plan_stop("p", world(), filter);
  std::size_t before = plan.operations.size();
  EXPECT_EQ(with_watches(plan, world()).operations.size(), before);
}

TEST(PlanWatch, AddressesSortNumerically) {
  EXPECT_EQ(sorted_addresses({"10.0.0.10", "10.0.0.9", "10.0.0.10", "fd00::1", "10.0.1.1"}),
            (std::vector<std::string>{"10.0.0.9", "10.0.0.10", "10.0.1.1", "fd00::1"}));
}
