// Counted instances (issue 15 item 2): "instances": N in run.conf, the names it gives, the runtime
// counts of .dockerops/scale.json, and how the resolver expands an entry.
#include "../support/error_of.hpp"
#include "project/counted.hpp"
#include "project/resolve.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

std::string conf_error(const std::string& text) {
  return error_of([&] { parse_run_conf(text, "run.conf"); });
}

struct World {
  Project project = make_project({"/p/demo", "", "", ""});
  HostConf host_conf;
  HostInfo host;
  RunConf conf;
  ResolveInput input;

  explicit World(const std::string& text, RuntimeCounts counts = {}) {
    add_service(project, "web", "FROM dockerops/base\n", "");
    add_service(project, "app", "FROM dockerops/base\n", "");
    host.hostname = "testhost";
    host.random_name = [] { return std::string("rnd00001"); };
    conf = parse_run_conf(text, "run.conf");
    input.project = &project;
    input.conf = &conf;
    input.host_conf = &host_conf;
    input.host = &host;
    input.counts = std::move(counts);
  }
  ResolvedProject run(const std::string& service = "all",
                      std::optional<std::string> instance = std::nullopt) {
    input.selection.service = service;
    input.selection.instance = instance;
    return resolve(input);
  }
};

std::vector<std::string> names(const ResolvedProject& p) {
  std::vector<std::string> out;
  for (const auto& r : p.instances)
    out.push_back(r.who());
  return out;
}

const char* k_web3 = R"([
  {"service": "web", "instance": "w", "instances": 3},
  {"service": "app", "instance": "one", "links": ["web-w1:backend"]}
])";

} // namespace

TEST(Counted, Names) {
  EXPECT_EQ(counted_name("w", 3), "w3");
  EXPECT_EQ(counted_number("w", "w3"), 3);
  EXPECT_EQ(counted_number("w", "w12"), 12);
  EXPECT_EQ(counted_number("", "7"), 7);
  for (const char* other : {"w", "w0", "w03", "wx", "x3", "w3a", "w-3", "w99999"})
    EXPECT_EQ(counted_number("w", other), std::nullopt) << other;
  EXPECT_EQ(scale_key("web", "w"), "web/w");
}

TEST(Counted, RunConfKeyAndErrors) {
  RunConf conf = parse_run_conf(R"([{"service": "web", "instance": "w", "instances": 3}])", "run.conf");
  EXPECT_TRUE(is_counted(conf.entries[0]));
  EXPECT_EQ(declared_count(conf.entries[0]), 3);
  for (const char* bad : {"0", "-2", "251", "2.5", "\"3\""})
    EXPECT_EQ(conf_error(std::string(R"([{"service": "web", "instance": "w", "instances": )") + bad + "}]"),
              "run.conf:1: \"instances\" must be a whole number from 1 to 250")
        << bad;
  EXPECT_EQ(conf_error(R"([
  {"service": "web", "instance": "w", "instances": 3},
  {"service": "web", "instance": "w2"}
])"),
            "run.conf:3: web/w2 clashes with the counted instances web/w1, w2, ... of line 2");
  EXPECT_EQ(conf_error(R"([
  {"service": "web", "instance": "w1", "instances": 3},
  {"service": "web", "instance": "w", "instances": 2}
])"),
            "run.conf:2: web/w1N clashes with the counted instances web/w1, w2, ... of line 3");
  EXPECT_EQ(conf_error(R"([
  {"service": "web", "instance": "w", "instances": 3,
   "hostname": "web"}
])"),
            "run.conf:3: \"hostname\" cannot be used with \"instances\": each instance has its own "
            "(<service>-<instance>)");
  // Another service may use the names; a named instance that is not <prefix><N> is fine.
  EXPECT_EQ(conf_error(R"([
  {"service": "web", "instance": "w", "instances": 3},
  {"service": "app", "instance": "w2"},
  {"service": "web", "instance": "w0"},
  {"service": "web", "instance": "admin"}
])"),
            "no error");
}

TEST(Counted, RuntimeCountsFile) {
  RuntimeCounts counts{{"web/w", {5, 3}}, {"db/", {2, 1}}};
  std::string text = format_runtime_counts(counts);
  EXPECT_EQ(text, "{\n  \"db/\": {\n    \"declared\": 1,\n    \"instances\": 2\n  },\n  \"web/w\": {\n    "
                  "\"declared\": 3,\n    \"instances\": 5\n  }\n}\n");
  RuntimeCounts back = parse_runtime_counts(text, ".dockerops/scale.json");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back["web/w"].instances, 5);
  EXPECT_EQ(back["web/w"].declared, 3);
  // Counts out of range are not counts.
  EXPECT_TRUE(parse_runtime_counts(R"({"web/w": {"instances": 0, "declared": 3}})", "f").empty());
  EXPECT_EQ(
      error_of([] { parse_runtime_counts("[1]", ".dockerops/scale.json"); }),
      ".dockerops/scale.json: must be a JSON object, not a list (remove it to forget the runtime counts)");
}

TEST(Counted, EffectiveCount) {
  RunConf conf = parse_run_conf(R"([{"service": "web", "instance": "w", "instances": 3}])", "run.conf");
  const ConfEntry& e = conf.entries[0];
  EXPECT_EQ(effective_count(e, {}), 3);
  EXPECT_EQ(effective_count(e, {{"web/w", {5, 3}}}), 5);
  // The run conf now says 3, but the count was stored when it said 4: the run conf's edit wins.
  std::string dropped;
  EXPECT_EQ(effective_count(e, {{"web/w", {5, 4}}}, &dropped), 3);
  EXPECT_EQ(dropped, "web/w: the run conf's count changed (4 -> 3): it replaces the runtime count 5");
}

TEST(Counted, ResolvesToNumberedInstances) {
  World world(k_web3);
  ResolvedProject p = world.run();
  EXPECT_EQ(names(p), (std::vector<std::string>{"web/w1", "web/w2", "web/w3", "app/one"}));
  const ResolvedInstance& w2 = p.instances[1];
  EXPECT_EQ(w2.hostname, "web-w2");
  EXPECT_EQ(w2.container_name, "demo-web-w2");
  EXPECT_EQ(w2.env.at("INSTANCE").value, "w2");
  EXPECT_EQ(w2.labels.at("dockerops.instance-prefix"), "w");
  EXPECT_EQ(w2.labels.at("dockerops.instance-number"), "2");
  EXPECT_EQ(p.instances[3].labels.count("dockerops.instance-number"), 0u);
  EXPECT_EQ(p.instances[3].links.at(0).target_container, "demo-web-w1");
  ASSERT_EQ(p.counted.size(), 1u);
  EXPECT_EQ(p.counted[0].service, "web");
  EXPECT_EQ(p.counted[0].prefix, "w");
  EXPECT_EQ(p.counted[0].count, 3);
}

TEST(Counted, RuntimeCountWinsUntilTheRunConfChanges) {
  World world(k_web3, {{"web/w", {5, 3}}});
  EXPECT_EQ(names(world.run("web")),
            (std::vector<std::string>{"web/w1", "web/w2", "web/w3", "web/w4", "web/w5"}));
  World smaller(k_web3, {{"web/w", {1, 3}}});
  ResolvedProject p = smaller.run();
  EXPECT_EQ(names(p), (std::vector<std::string>{"web/w1", "app/one"}));
  EXPECT_EQ(p.counted.at(0).count, 1);
}

TEST(Counted, OneInstanceByName) {
  World world(k_web3);
  ResolvedProject p = world.run("web", "w2");
  EXPECT_EQ(names(p), (std::vector<std::string>{"web/w2"}));
  EXPECT_TRUE(p.counted.empty()); // one instance: no scale-in of the others
  EXPECT_EQ(error_of([&] { world.run("web", "w4"); }),
            "web/w4 is beyond the count of the entry at run.conf:2 (3 instances): scale:web=4 first");
}

TEST(Counted, NoPrefixNamesLikeCompose) {
  World world(R"([{"service": "web", "instances": 2}])");
  EXPECT_EQ(names(world.run()), (std::vector<std::string>{"web/1", "web/2"}));
  // A counted entry is no template for named instances.
  ResolvedProject named = world.run("web", "admin");
  EXPECT_EQ(named.instances.at(0).conf_line, 0);
}
