// The autoscaler's decision on recorded metric series: each series is the figures a sampling pass
// saw, one per running instance (null: no figure yet); the driver follows the decisions as the agent
// does (a scale changes the count the next pass sees) and writes one line per pass, compared whole.
#include "plan/autoscale.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::plan;
using project::AutoscaleSpec;

namespace {

struct Pass {
  int t = 0; // seconds since the series began
  std::vector<std::optional<double>> values;
  int set = 0; // a user set the count to this before the pass (0: nobody did)
};

AutoscaleSpec cpu_spec(int min, int max, int cooldown = 30, int window = 60) {
  AutoscaleSpec spec;
  spec.min = min;
  spec.max = max;
  spec.target = 0.6;
  spec.scale_out_cooldown = cooldown;
  spec.scale_in_stabilization = window;
  return spec;
}

// "t=10 n=2 hold" / "t=15 n=2 scale-out 3" / "t=20 n=3 suppressed (cooldown)", one line per pass.
std::string run(const AutoscaleSpec& spec, int start, const std::vector<Pass>& passes,
                std::vector<AutoscaleDecision>* decisions = nullptr) {
  AutoscaleMemory memory;
  int current = start;
  std::string out;
  AutoscaleClock::time_point origin{std::chrono::hours(1)};
  for (const auto& pass : passes) {
    if (pass.set)
      current = pass.set;
    AutoscaleInput input;
    input.current = current;
    input.now = origin + std::chrono::seconds(pass.t);
    for (std::size_t i = 0; i < pass.values.size(); ++i)
      input.samples.push_back({"w" + std::to_string(i + 1), pass.values[i]});
    AutoscaleDecision d = decide_autoscale(spec, input, memory);
    out += fmt::format("t={} n={} {}", pass.t, current, to_string(d.verdict));
    if (d.verdict == AutoscaleVerdict::scale_out || d.verdict == AutoscaleVerdict::scale_in)
      out += fmt::format(" {}", d.desired);
    if (!d.held_by.empty())
      out += fmt::format(" ({})", d.held_by);
    out += "\n";
    current = d.desired;
    if (decisions)
      decisions->push_back(d);
  }
  return out;
}

} // namespace

TEST(Autoscale, ScalesOutByTheHpaFormula) {
  std::vector<AutoscaleDecision> d;
  EXPECT_EQ(run(cpu_spec(1, 6), 1, {{0, {0.95}}}, &d), "t=0 n=1 scale-out 2\n");
  EXPECT_EQ(d[0].reason,
            "cpu 0.95 of target 0.60 on 1 of 1 instance (ratio 1.58): ceil(1 x 1.58) = 2: scale out 1 -> 2");
  EXPECT_EQ(d[0].recommended, 2);
  EXPECT_DOUBLE_EQ(d[0].metric, 0.95);
  // 2 instances at full load with target 0.6: ceil(2 x 1.67) = 4.
  d.clear();
  EXPECT_EQ(run(cpu_spec(1, 6), 2, {{0, {1.0, 1.0}}}, &d), "t=0 n=2 scale-out 4\n");
  // 3 x 0.6 / 0.6 is exactly 3: no spurious fourth.
  EXPECT_EQ(run(cpu_spec(1, 6), 3, {{0, {0.6, 0.6, 0.6}}}), "t=0 n=3 hold\n");
}

TEST(Autoscale, ToleranceBandHolds) {
  // ratio 1.08 and 0.92: within 0.1 of 1; 1.12: out.
  EXPECT_EQ(run(cpu_spec(1, 6), 2, {{0, {0.65, 0.65}}, {5, {0.55, 0.55}}, {10, {0.67, 0.67}}}),
            "t=0 n=2 hold\nt=5 n=2 hold\nt=10 n=2 scale-out 3\n");
  // A series that wanders around the target inside the band never scales: no flapping.
  std::vector<Pass> wander;
  for (int i = 0; i < 40; ++i)
    wander.push_back({i * 5, {0.6 + ((i % 3) - 1) * 0.05, 0.6 - ((i % 2) ? 0.04 : -0.04)}});
  std::string out = run(cpu_spec(1, 6), 2, wander);
  EXPECT_EQ(out.find("scale"), std::string::npos) << out;
}

TEST(Autoscale, CooldownHoldsTheNextScaleOut) {
  std::vector<AutoscaleDecision> d;
  EXPECT_EQ(run(cpu_spec(1, 6, 30), 1,
                {{0, {1.0}}, {5, {1.0, std::nullopt}}, {10, {1.0, 0.9}}, {20, {1.0, 0.9}}, {30, {1.0, 0.9}}},
                &d),
            "t=0 n=1 scale-out 2\n"
            "t=5 n=2 hold\n"
            "t=10 n=2 suppressed (cooldown)\n"
            "t=20 n=2 suppressed (cooldown)\n"
            "t=30 n=2 scale-out 4\n");
  EXPECT_EQ(d[2].reason,
            "cpu 0.95 of target 0.60 on 2 of 2 instances (ratio 1.58): ceil(2 x 1.58) = 4; held by "
            "the cooldown: the last scale-out was 10 s ago, the cooldown is 30 s");
}

TEST(Autoscale, AScaleInDoesNotDelayTheNextScaleOut) {
  // Load gone: scale in; load back 5 s later: out at once (the cooldown counts from scale-outs only).
  EXPECT_EQ(run(cpu_spec(1, 3, 30, 0), 2, {{0, {0.05, 0.05}}, {5, {1.0}}, {10, {1.0, 1.0}}}),
            "t=0 n=2 scale-in 1\nt=5 n=1 scale-out 2\nt=10 n=2 suppressed (cooldown)\n");
}

TEST(Autoscale, ScaleInWaitsForTheStabilisationWindow) {
  // High load, then none: scale-in only once the window (60 s) holds no higher recommendation, and
  // then straight to what the window says, not step by step.
  std::vector<Pass> series = {{0, {1.0}},
                              {5, {1.0, 1.0}},
                              {10, {0.05, 0.05, 0.05}},
                              {30, {0.05, 0.05, 0.05}},
                              {60, {0.05, 0.05, 0.05}},
                              {66, {0.05, 0.05, 0.05}},
                              {71, {0.05}}};
  std::vector<AutoscaleDecision> d;
  EXPECT_EQ(run(cpu_spec(1, 3, 0, 60), 1, series, &d), "t=0 n=1 scale-out 2\n"
                                                       "t=5 n=2 scale-out 3\n"
                                                       "t=10 n=3 suppressed (stabilization)\n"
                                                       "t=30 n=3 suppressed (stabilization)\n"
                                                       "t=60 n=3 suppressed (stabilization)\n"
                                                       "t=66 n=3 scale-in 1\n"
                                                       "t=71 n=1 hold\n");
  EXPECT_EQ(d[2].reason,
            "cpu 0.05 of target 0.60 on 3 of 3 instances (ratio 0.08): ceil(3 x 0.08) = 1; held by "
            "the stabilization window: 10 s observed of 60 s");
  EXPECT_EQ(d[4].reason,
            "cpu 0.05 of target 0.60 on 3 of 3 instances (ratio 0.08): ceil(3 x 0.08) = 1; held by "
            "the stabilization window: 3 instances were recommended within the last 60 s");
  EXPECT_EQ(d[5].reason, "cpu 0.05 of target 0.60 on 3 of 3 instances (ratio 0.08): ceil(3 x 0.08) = 1; the "
                         "highest recommendation of the last 60 s is 1: scale in 3 -> 1");
  // A dip shorter than the window (every 10 s: at the target, 30 s low, back) does not scale in.
  std::vector<Pass> dip;
  for (int t = 0; t <= 120; t += 10)
    dip.push_back({t, {t >= 60 && t < 90 ? 0.1 : 0.6, t >= 60 && t < 90 ? 0.1 : 0.6}});
  EXPECT_EQ(run(cpu_spec(1, 3, 0, 60), 2, dip),
            "t=0 n=2 hold\nt=10 n=2 hold\nt=20 n=2 hold\nt=30 n=2 hold\nt=40 n=2 hold\nt=50 n=2 hold\n"
            "t=60 n=2 suppressed (stabilization)\n"
            "t=70 n=2 suppressed (stabilization)\n"
            "t=80 n=2 suppressed (stabilization)\n"
            "t=90 n=2 hold\nt=100 n=2 hold\nt=110 n=2 hold\nt=120 n=2 hold\n");
}

TEST(Autoscale, BoundsMinAndMax) {
  std::vector<AutoscaleDecision> d;
  // At max with more load: suppressed, with max named; below min never.
  EXPECT_EQ(run(cpu_spec(1, 3, 0, 0), 3, {{0, {1.0, 1.0, 1.0}}, {5, {0.0, 0.0, 0.0}}, {10, {0.0}}}, &d),
            "t=0 n=3 suppressed (max)\n"
            "t=5 n=3 scale-in 1\n"
            "t=10 n=1 hold\n");
  EXPECT_EQ(d[0].reason,
            "cpu 1.00 of target 0.60 on 3 of 3 instances (ratio 1.67): ceil(3 x 1.67) = 5; held by max 3");
  EXPECT_EQ(d[2].reason,
            "cpu 0.00 of target 0.60 on 1 of 1 instance (ratio 0.00): ceil(1 x 0.00) = 0; at min 1");
  // Capped at max on the way out.
  d.clear();
  EXPECT_EQ(run(cpu_spec(2, 3), 2, {{0, {1.0, 1.0}}}, &d), "t=0 n=2 scale-out 3\n");
  EXPECT_EQ(d[0].reason,
            "cpu 1.00 of target 0.60 on 2 of 2 instances (ratio 1.67): ceil(2 x 1.67) = 4, capped at "
            "max 3: scale out 2 -> 3");
  // A count outside the bounds (the run conf changed) comes back at once, whatever the figures.
  EXPECT_EQ(run(cpu_spec(1, 3), 5, {{0, {}}}), "t=0 n=5 scale-in 3\n");
  EXPECT_EQ(run(cpu_spec(2, 3), 1, {{0, {}}}), "t=0 n=1 scale-out 2\n");
}

TEST(Autoscale, LatencyInMilliseconds) {
  // target 100 ms, tolerance 0.1: 2 instances at 250 and 150 ms (mean 200): ceil(2 x 2.00) = 4,
  // capped at max 3; 105 ms is within the band; 20 ms on 3 asks for 1 (window 0).
  AutoscaleSpec spec = cpu_spec(1, 3, 0, 0);
  spec.metric = project::AutoscaleMetric::latency;
  spec.target = 100;
  spec.probe = project::AutoscaleProbe{8080, "/"};
  std::vector<AutoscaleDecision> d;
  EXPECT_EQ(
      run(spec, 2, {{0, {250.0, 150.0}}, {5, {105.0, 104.0, std::nullopt}}, {10, {20.0, 20.0, 20.0}}}, &d),
      "t=0 n=2 scale-out 3\nt=5 n=3 hold\nt=10 n=3 scale-in 1\n");
  EXPECT_EQ(d[0].reason, "latency 200.0 ms of target 100.0 ms on 2 of 2 instances (ratio 2.00): ceil(2 x "
                         "2.00) = 4, capped at max 3: scale out 2 -> 3");
  EXPECT_DOUBLE_EQ(d[0].metric, 200.0);
  // A slow instance with no figure from the new one: counted as 0 ms, (300 + 0) / 2 / 100 = 1.5.
  EXPECT_EQ(run(spec, 2, {{0, {300.0, std::nullopt}}}), "t=0 n=2 scale-out 3\n");
}

TEST(Autoscale, MissingMetricsTakeNoAction) {
  std::vector<AutoscaleDecision> d;
  EXPECT_EQ(run(cpu_spec(1, 6), 2, {{0, {std::nullopt, std::nullopt}}, {5, {}}}, &d),
            "t=0 n=2 no-metrics\nt=5 n=2 no-metrics\n");
  EXPECT_EQ(d[0].reason, "no cpu figure yet from the 2 instances: no action");
  // A new instance without a figure counts as 0 while the others ask for more: 0.9 alone says
  // 1.5, with the new one 0.75: the direction turns, so hold.
  EXPECT_EQ(run(cpu_spec(1, 6, 0), 2, {{0, {0.9, std::nullopt}}}), "t=0 n=2 hold\n");
  // Two at full load and one new: (1 + 1 + 0) / 3 / 0.6 = 1.11, still out: ceil(3 x 1.11) = 4.
  EXPECT_EQ(run(cpu_spec(1, 6, 0), 3, {{0, {1.0, 1.0, std::nullopt}}}), "t=0 n=3 scale-out 4\n");
  // Asking for fewer, the missing one counts as the target: (0.1 + 0.6) / 2 / 0.6 = 0.58: ceil(1.17) = 2.
  EXPECT_EQ(run(cpu_spec(1, 6, 0, 0), 2, {{0, {0.1, std::nullopt}}}), "t=0 n=2 hold\n");
}

TEST(Autoscale, ACountSetByHandHoldsForOneWindow) {
  // Idle at 1 for a full window; a user sets 3 at t=70: the window restarts there, so the idle
  // figures take it back to 1 only a window later, not at once as Kubernetes' HPA would.
  std::vector<AutoscaleDecision> d;
  EXPECT_EQ(
      run(cpu_spec(1, 3, 0, 10), 1,
          {{0, {0.05}}, {70, {0.05, 0.05, 0.05}, 3}, {75, {0.05, 0.05, 0.05}}, {81, {0.05, 0.05, 0.05}}}, &d),
      "t=0 n=1 hold\n"
      "t=70 n=3 suppressed (stabilization)\n"
      "t=75 n=3 suppressed (stabilization)\n"
      "t=81 n=3 scale-in 1\n");
  EXPECT_EQ(d[2].reason,
            "cpu 0.05 of target 0.60 on 3 of 3 instances (ratio 0.08): ceil(3 x 0.08) = 1; held by "
            "the stabilization window: the count was set by hand 5 s ago, the window is 10 s");
  // The autoscaler's own scales are not "by hand": after its scale-in the window does not restart.
  EXPECT_EQ(run(cpu_spec(1, 3, 0, 0), 2, {{0, {0.05, 0.05}}, {5, {0.05}}}),
            "t=0 n=2 scale-in 1\nt=5 n=1 hold\n");
}
