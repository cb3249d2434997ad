// The agent's autoscaler over its decision function: figures normalised per metric, scale actions
// for the actor, one event per distinct held decision, the state the API shows.
#include "agent/autoscaler.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::agent;

namespace {

AutoscaledEntry web(int current) {
  AutoscaledEntry e;
  e.service = "web";
  e.prefix = "w";
  e.spec.min = 1;
  e.spec.max = 3;
  e.spec.target = 0.5;
  e.spec.scale_out_cooldown = 0;
  e.spec.scale_in_stabilization = 0;
  e.current = current;
  return e;
}

InstanceStats cpu(const std::string& instance, std::optional<double> percent) {
  InstanceStats s;
  s.service = "web";
  s.instance = instance;
  s.cpu_percent = percent;
  return s;
}

AutoscaleView view(int current, std::vector<InstanceStats> stats, int t) {
  AutoscaleView v;
  v.entries = {web(current)};
  v.stats = std::move(stats);
  v.cpus = {{"web/w1", 0.5}, {"web/w2", 0.5}, {"web/w3", 0.5}};
  v.now = plan::AutoscaleClock::time_point{std::chrono::seconds(t)};
  return v;
}

} // namespace

TEST(AgentAutoscaler, MetricsAreFractionsOfTheLimit) {
  project::AutoscaleSpec spec;
  EXPECT_DOUBLE_EQ(*metric_of(spec, cpu("w1", 40.0), 0.5, {}), 0.8); // 40 % of one core over 0.5 CPUs
  EXPECT_DOUBLE_EQ(*metric_of(spec, cpu("w1", 40.0), 0, {}), 0.4);   // no limit: of one core
  EXPECT_FALSE(metric_of(spec, cpu("w1", std::nullopt), 0.5, {}));
  // The quota's accounting overshoots a little: at most all of the limit, in whole percent (HPA's
  // utilisation), so a saturated instance at target 0.5 asks for 2, not ceil(2.004) = 3.
  EXPECT_DOUBLE_EQ(*metric_of(spec, cpu("w1", 50.2), 0.5, {}), 1.0);
  EXPECT_DOUBLE_EQ(*metric_of(spec, cpu("w1", 40.79), 0.5, {}), 0.81);
  EXPECT_DOUBLE_EQ(*metric_of(spec, cpu("w1", 130.0), 0, {}), 1.3); // no limit: several cores count
  spec.metric = project::AutoscaleMetric::memory;
  InstanceStats m = cpu("w1", 1.0);
  m.memory_bytes = 64 << 20;
  m.memory_limit = 256 << 20;
  EXPECT_DOUBLE_EQ(*metric_of(spec, m, 0, {}), 0.25);
  m.memory_limit.reset();
  EXPECT_FALSE(metric_of(spec, m, 0, {}));
  spec.metric = project::AutoscaleMetric::latency;
  EXPECT_DOUBLE_EQ(*metric_of(spec, m, 0, {{"web/w1", 12.5}}), 12.5);
  EXPECT_FALSE(metric_of(spec, m, 0, {{"web/w2", 12.5}}));
}

TEST(AgentAutoscaler, ActsOnceSaysHeldDecisionsOnceAndShowsTheState) {
  Autoscaler a;
  // w1 at 50 % of a core with cpus 0.5: 1.0 of its limit, target 0.5: 2 instances.
  auto pass = a.evaluate(view(1, {cpu("w1", 50)}, 0));
  ASSERT_EQ(pass.actions.size(), 1u);
  EXPECT_EQ(pass.actions[0].kind, ActionKind::scale);
  EXPECT_EQ(pass.actions[0].key(), "scale:web/w");
  EXPECT_EQ(pass.actions[0].count, 2);
  EXPECT_EQ(pass.actions[0].reason, "autoscale: cpu 1.00 of target 0.50 on 1 of 1 instance (ratio 2.00): "
                                    "ceil(1 x 2.00) = 2: scale out 1 -> 2");
  ASSERT_EQ(pass.events.size(), 1u);
  EXPECT_EQ(pass.events[0].outcome, "scheduled");
  EXPECT_EQ(pass.events[0].details["entry"], "web/w");
  EXPECT_DOUBLE_EQ(pass.events[0].details["value"].get<double>(), 1.0);
  EXPECT_EQ(pass.events[0].details["figures"], nlohmann::json::parse(R"({"w1": 1.0})"));
  // While its scale is under way, no decision.
  AutoscaleView busy = view(1, {cpu("w1", 50)}, 1);
  busy.busy = {"scale:web/w"};
  EXPECT_TRUE(a.evaluate(busy).actions.empty());
  Event done = a.finished(pass.actions[0], true, "");
  EXPECT_EQ(done.outcome, "ok");
  EXPECT_EQ(a.state()["entries"][0]["current"], 2);
  // At max with load: held, said once, then again only when something changes.
  EXPECT_EQ(a.evaluate(view(3, {cpu("w1", 50), cpu("w2", 50), cpu("w3", 50)}, 2)).events.size(), 1u);
  auto again = a.evaluate(view(3, {cpu("w1", 50), cpu("w2", 50), cpu("w3", 50)}, 3));
  EXPECT_TRUE(again.events.empty());
  EXPECT_TRUE(again.actions.empty());
  // Instances above the count (one being removed) and of other services are not the entry's.
  auto other = view(1, {cpu("w1", 25), cpu("w2", 100)}, 4);
  other.stats.push_back(cpu("x1", 100));
  EXPECT_TRUE(a.evaluate(other).actions.empty());
  auto state = a.state()["entries"][0];
  // Each instance's own figure is in the decision, null while it has none.
  EXPECT_EQ(state["last_decision"]["figures"], nlohmann::json::parse(R"({"w1": 0.5})"));
  EXPECT_EQ(state["min"], 1);
  EXPECT_EQ(state["max"], 3);
  EXPECT_EQ(state["last_decision"]["verdict"], "hold");
  EXPECT_EQ(state["history"].size(), 3u); // scheduled, done, held by max (said once)
}
