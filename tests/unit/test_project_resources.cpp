#include "../support/error_of.hpp"
#include "project/resolve.hpp"
#include "project/resources.hpp"
#include "project/run_conf.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

std::string conf_error(const std::string& entry_keys) {
  return error_of([&] {
    parse_run_conf("[\n  {\"service\": \"web\", \"instance\": \"one\",\n   " + entry_keys + "}\n]",
                   "run.conf");
  });
}

ResolvedInstance resolve_one(const std::string& keys) {
  static Project project = [] {
    Project p = make_project({"/p/demo", "", "", ""});
    add_service(p, "web", "FROM dockerops/base\n", "");
    return p;
  }();
  RunConf conf = parse_run_conf(R"([{"service": "web", "instance": "one")" + keys + "}]", "run.conf");
  HostConf host_conf;
  HostInfo host;
  host.hostname = "testhost";
  ResolveInput input;
  input.project = &project;
  input.conf = &conf;
  input.host_conf = &host_conf;
  input.host = &host;
  return resolve(input).instances.at(0);
}

} // namespace

TEST(Resources, ByteSizesAsComposeWritesThem) {
  EXPECT_EQ(parse_byte_size("256m"), 256LL << 20);
  EXPECT_EQ(parse_byte_size("1g"), 1LL << 30);
  EXPECT_EQ(parse_byte_size("1G"), 1LL << 30);
  EXPECT_EQ(parse_byte_size("1gb"), 1LL << 30);
  EXPECT_EQ(parse_byte_size("1.5GiB"), 3LL << 29);
  EXPECT_EQ(parse_byte_size("512 k"), 512LL << 10);
  EXPECT_EQ(parse_byte_size("1048576"), 1LL << 20);
  EXPECT_EQ(parse_byte_size("100b"), 100);
  for (const char* bad : {"", "m", "1x", "1.m", ".5g", "1.2.3m", "-1m", "1.5", "99999999999t", "1 gg"})
    EXPECT_EQ(parse_byte_size(bad), std::nullopt) << bad;
}

TEST(Resources, TextForms) {
  EXPECT_EQ(fmt_byte_size(256LL << 20), "256m");
  EXPECT_EQ(fmt_byte_size(1LL << 30), "1g");
  EXPECT_EQ(fmt_byte_size(1536LL << 10), "1536k");
  EXPECT_EQ(fmt_byte_size(1000), "1000");
  EXPECT_EQ(fmt_cpus(0.5), "0.5");
  EXPECT_EQ(fmt_cpus(2), "2");
  EXPECT_EQ(fmt_cpus(0.25), "0.25");
  Resources r{0.5, 256LL << 20, 128LL << 20, 100};
  EXPECT_EQ(describe(r), "cpus 0.5, memory 256m, memory_reservation 128m, pids 100");
  EXPECT_EQ(describe(Resources{}), "");
  EXPECT_EQ(r.nano_cpus(), 500000000);
}

TEST(Resources, LabelsRoundTrip) {
  Resources r{1.5, 1LL << 30, 0, 64};
  auto labels = resource_labels(r);
  EXPECT_EQ(labels,
            (std::map<std::string, std::string>{
                {"dockerops.cpus", "1.5"}, {"dockerops.memory", "1073741824"}, {"dockerops.pids", "64"}}));
  EXPECT_EQ(resources_from_labels(labels), r);
  EXPECT_EQ(resources_from_labels({{"dockerops.memory", "lots"}}), Resources{});
}

TEST(Resources, RunConfKeys) {
  RunConf conf = parse_run_conf(R"([
  {"service": "web", "instance": "one",
   "cpus": 0.5, "memory": "256m", "memory_reservation": 134217728,
   "pids": 100},
  {"service": "web", "instance": "two", "cpus": "1.25", "memory": "1g"}
])",
                                "run.conf");
  const ConfResources& one = conf.entries[0].scale.resources;
  EXPECT_EQ(one.cpus->value, 0.5);
  EXPECT_EQ(one.cpus->line, 3);
  EXPECT_EQ(one.memory->value, 256LL << 20);
  EXPECT_EQ(one.memory_reservation->value, 128LL << 20);
  EXPECT_EQ(one.pids->value, 100);
  EXPECT_EQ(one.pids->line, 4);
  EXPECT_EQ(conf.entries[1].scale.resources.cpus->value, 1.25);
}

TEST(Resources, BadValuesNameFileLineAndKey) {
  EXPECT_EQ(
      conf_error(R"("cpus": 0)"),
      "run.conf:3: \"cpus\" must be a number of CPUs from 0.01 to 1024 (0.5 = half a core), not a number");
  EXPECT_EQ(
      conf_error(R"("cpus": "half")"),
      "run.conf:3: \"cpus\" must be a number of CPUs from 0.01 to 1024 (0.5 = half a core), not \"half\"");
  EXPECT_EQ(
      conf_error(R"("memory": "256q")"),
      "run.conf:3: \"memory\" must be a size in bytes or with a unit, like \"256m\" or \"1g\" (units b, k, "
      "m, g, t: powers of 1024), not \"256q\"");
  EXPECT_EQ(
      conf_error(R"("memory_reservation": true)"),
      "run.conf:3: \"memory_reservation\" must be a size in bytes or with a unit, like \"256m\" or \"1g\" "
      "(units b, k, m, g, t: powers of 1024), not a boolean");
  EXPECT_EQ(conf_error(R"("memory": "1m")"),
            "run.conf:3: \"memory\" must be at least 6m (the Engine's minimum), not 1m");
  EXPECT_EQ(conf_error(R"("pids": 0)"),
            "run.conf:3: \"pids\" must be a whole number of processes from 1 to 4194304");
  EXPECT_EQ(conf_error(R"("pids": 1.5)"),
            "run.conf:3: \"pids\" must be a whole number of processes from 1 to 4194304");
  EXPECT_EQ(conf_error("\"memory\": \"64m\",\n   \"memory_reservation\": \"128m\""),
            "run.conf:4: \"memory_reservation\" (128m) must not exceed \"memory\" (64m)");
  EXPECT_EQ(conf_error(R"("memroy": "1g")"), "run.conf:3: unknown key \"memroy\"; did you mean \"memory\"?");
}

TEST(Resources, ResolvedHashedAndLabelled) {
  ResolvedInstance plain = resolve_one("");
  ResolvedInstance limited = resolve_one(R"(, "cpus": 0.5, "memory": "256m", "pids": 100)");
  EXPECT_EQ(limited.resources, (Resources{0.5, 256LL << 20, 0, 100}));
  EXPECT_NE(plain.config_hash, limited.config_hash);
  // A limit that is not set leaves the canonical form as it was before resources existed.
  EXPECT_EQ(plain.canonical().find("resources"), std::string::npos);
  EXPECT_NE(resolve_one(R"(, "cpus": 0.5, "memory": "512m", "pids": 100)").config_hash, limited.config_hash);
  EXPECT_EQ(limited.labels.at("dockerops.cpus"), "0.5");
  EXPECT_EQ(limited.labels.at("dockerops.memory"), "268435456");
  EXPECT_EQ(limited.labels.count("dockerops.memory-reservation"), 0u);
  EXPECT_EQ(plain.labels.count("dockerops.cpus"), 0u);
}
