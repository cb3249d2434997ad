#include "../support/error_of.hpp"
#include "project/counted.hpp"
#include "project/run_conf.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

RunConf conf_of(const std::string& keys) {
  return parse_run_conf("[\n  {\"service\": \"web\", \"instance\": \"w\",\n   " + keys + "}\n]", "run.conf");
}

std::string conf_error(const std::string& keys) {
  return error_of([&] { conf_of(keys); });
}

} // namespace

TEST(AutoscaleConf, ReadsTheSpecWithDefaults) {
  RunConf conf = conf_of(R"("autoscale": {"min": 2, "max": 6, "metric": "cpu", "target": 0.6})");
  const auto& spec = conf.entries.at(0).scale.autoscale;
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->min, 2);
  EXPECT_EQ(spec->max, 6);
  EXPECT_EQ(spec->metric, AutoscaleMetric::cpu);
  EXPECT_DOUBLE_EQ(spec->target, 0.6);
  EXPECT_EQ(spec->scale_out_cooldown, 30);
  EXPECT_EQ(spec->scale_in_stabilization, 300);
  EXPECT_DOUBLE_EQ(spec->tolerance, 0.1);
  EXPECT_EQ(spec->line, 3);
  EXPECT_EQ(describe(*spec), "cpu 0.6 (min 2, max 6)");
  // An autoscaled entry is counted and starts at min.
  EXPECT_TRUE(is_counted(conf.entries[0]));
  EXPECT_EQ(declared_count(conf.entries[0]), 2);
}

TEST(AutoscaleConf, LatencyWithAProbeAndOwnWindows) {
  RunConf conf = conf_of(R"("instances": 3,
   "autoscale": {"min": 1, "max": 4, "metric": "latency", "target": 250,
                 "probe": {"port": 8080, "path": "/health"},
                 "scale_out_cooldown": 10, "scale_in_stabilization": 60, "tolerance": 0.2})");
  const auto& spec = *conf.entries.at(0).scale.autoscale;
  EXPECT_EQ(spec.metric, AutoscaleMetric::latency);
  ASSERT_TRUE(spec.probe);
  EXPECT_EQ(spec.probe->port, 8080);
  EXPECT_EQ(spec.probe->path, "/health");
  EXPECT_EQ(spec.scale_out_cooldown, 10);
  EXPECT_EQ(spec.scale_in_stabilization, 60);
  EXPECT_DOUBLE_EQ(spec.tolerance, 0.2);
  EXPECT_EQ(declared_count(conf.entries[0]), 3);
  EXPECT_EQ(describe(spec), "latency 250 ms (min 1, max 4)");
  // A TCP probe: no path.
  auto tcp = conf_of(
      R"("autoscale": {"min": 1, "max": 2, "metric": "latency", "target": 5, "probe": {"port": 22}})");
  EXPECT_EQ(tcp.entries[0].scale.autoscale->probe->path, "");
}

TEST(AutoscaleConf, BadInputNamesFileLineAndKey) {
  EXPECT_EQ(conf_error(R"("autoscale": {"min": 3, "max": 2, "metric": "cpu", "target": 0.5})"),
            R"(run.conf:3: "autoscale": "max" (2) must not be below "min" (3))");
  EXPECT_EQ(conf_error(R"("autoscale": {"min": 0, "max": 2, "metric": "cpu", "target": 0.5})"),
            R"(run.conf:3: "autoscale": "min" must be a whole number from 1 to 250)");
  EXPECT_EQ(
      conf_error(R"("autoscale": {"min": 1, "max": 2, "metric": "cpus", "target": 0.5})"),
      R"(run.conf:3: "autoscale": "metric" must be cpu, memory or latency, not "cpus"; did you mean "cpu"?)");
  EXPECT_EQ(
      conf_error(R"("autoscale": {"min": 1, "max": 2, "metric": "latency", "target": 200})"),
      R"(run.conf:3: "autoscale": "metric" latency needs a "probe": {"port": PORT, "path": "/..."} (an HTTP GET; without "path" a TCP connect))");
  EXPECT_EQ(
      conf_error(R"("autoscale": {"min": 1, "max": 2, "metric": "cpu", "target": 1.5})"),
      R"(run.conf:3: "autoscale": "target" must be a number over 0 and at most 1 (a fraction of the limit: 0.6 = 60 %))");
  EXPECT_EQ(conf_error(R"("autoscale": {"min": 1, "max": 2, "metric": "cpu"})"),
            R"(run.conf:3: "autoscale" needs "target" (min, max, metric and target are required))");
  EXPECT_EQ(conf_error(R"("autoscale": {"min": 1, "max": 2, "metric": "cpu", "target": 0.5, "cooldown": 5})"),
            R"(run.conf:3: "autoscale": unknown key "cooldown")");
  EXPECT_EQ(conf_error(R"("autoscale": {"min": 1, "max": 2, "metric": "cpu", "target": 0.5,
     "probe": {"port": 80}})"),
            R"(run.conf:4: "autoscale": "probe" is only used by the metric latency)");
  EXPECT_EQ(
      conf_error(
          R"("autoscale": {"min": 1, "max": 2, "metric": "latency", "target": 5, "probe": {"port": 0}})"),
      R"(run.conf:3: "autoscale": "probe.port" must be a whole number from 1 to 65535)");
  EXPECT_EQ(
      conf_error(R"("autoscale": {"min": 1, "max": 2, "metric": "memory", "target": 0.8})"),
      R"(run.conf:3: "autoscale": the metric memory is a fraction of the instance's limit: set "memory")");
  EXPECT_EQ(
      conf_error(R"("instances": 5, "autoscale": {"min": 1, "max": 3, "metric": "cpu", "target": 0.5})"),
      R"(run.conf:3: "instances" (5) must be within autoscale's min 1 and max 3)");
  EXPECT_EQ(
      conf_error(R"("autoscale": [1, 3])"),
      R"(run.conf:3: "autoscale" must be an object like {"min": 1, "max": 6, "metric": "cpu", "target": 0.6})");
}
