#include "../support/error_of.hpp"
#include "base/error.hpp"
#include "project/host_conf.hpp"
#include "project/jsonc.hpp"
#include "project/run_conf.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::project;

namespace {

using dockerops::testing::error_of;

std::string conf_error(const std::string& text) {
  return error_of([&] { parse_run_conf(text, "run.conf"); });
}

} // namespace

TEST(RunConf, ParsesEveryKeyWithLines) {
  const std::string text = R"([
  # the DNS first
  {
    "service": "dockerops-dns",
    "instance": "master",
    "env_vars": {"SERVICE_IP": "from_eth0"}
  },
  {
    "service": "demo", "instance": "one", "instance_type": "published", "group": "backend",
    "sleep": 3, "links": ["dockerops-dns-master:dns", {"name": "BASE", "service": "base", "instance": null}],
    "publish_ports": "True", "persistent_data": false, "volumes": "/a:/a,rel:/b:ro",
    "ports": ["8080:80", "127.0.0.1:5353:53/udp"], "ssh_keys": true, "autorun": false,
    "ready_timeout": 30, "wait": false, "hostname": "web", "seed_command": "bash -l",
    "nethost": false, "linked": true, "safemode": false, "interactive": false, "persistent_opt": true,
    "persistent_log": true
  }
])";
  RunConf conf = parse_run_conf(text, "run.conf");
  ASSERT_EQ(conf.entries.size(), 2u);
  const auto& dns = conf.entries[0];
  EXPECT_EQ(dns.line, 3);
  EXPECT_EQ(dns.service.value, "dockerops-dns");
  EXPECT_EQ(dns.instance->value, "master");
  ASSERT_EQ(dns.env_vars.size(), 1u);
  EXPECT_EQ(dns.env_vars[0].line, 6);
  EXPECT_EQ(*dns.env_vars[0].value, "from_eth0");
  const auto& demo = conf.entries[1];
  EXPECT_EQ(demo.instance_type->value, "published");
  EXPECT_EQ(demo.group->value, "backend");
  EXPECT_EQ(demo.sleep->value, 3);
  EXPECT_EQ(demo.sleep->line, 10);
  ASSERT_EQ(demo.links.size(), 2u);
  EXPECT_EQ(demo.links[0].service, "dockerops-dns");
  EXPECT_EQ(*demo.links[0].instance, "master");
  EXPECT_EQ(demo.links[0].alias, "dns");
  EXPECT_EQ(demo.links[1].alias, "BASE");
  EXPECT_FALSE(demo.links[1].instance.has_value());
  EXPECT_TRUE(demo.publish_ports->value);
  ASSERT_EQ(demo.volumes.size(), 2u);
  EXPECT_EQ(demo.volumes[1].value, "rel:/b:ro");
  EXPECT_EQ(demo.ports[1].value, "127.0.0.1:5353:53/udp");
  EXPECT_TRUE(demo.ssh_keys->value);
  EXPECT_FALSE(demo.autorun->value);
  EXPECT_EQ(demo.ready_timeout->value, 30);
  EXPECT_FALSE(demo.wait->value);
  EXPECT_EQ(demo.hostname->value, "web");
  EXPECT_EQ(demo.seed_command->value, "bash -l");
}

TEST(RunConf, CommentLinesAndHashInsideStrings) {
  RunConf conf =
      parse_run_conf("# header\n[ # list\n {\"service\": \"demo\", # trailing\n"
                     "  \"instance\": \"one\", \"env_vars\": {\"COLOR\": \"#ff0000\", \"N\": 5}}\n]\n",
                     "run.conf");
  ASSERT_EQ(conf.entries.size(), 1u);
  EXPECT_EQ(*conf.entries[0].env_vars[0].value, "#ff0000");
  EXPECT_EQ(*conf.entries[0].env_vars[1].value, "5");
}

TEST(RunConf, EmptyTextIsAnEmptyConf) {
  EXPECT_TRUE(parse_run_conf("  \n", "run.conf").entries.empty());
}

TEST(RunConf, MisspelledKey) {
  EXPECT_EQ(conf_error("[\n {\"service\": \"demo\",\n  \"isntance\": \"one\"}\n]"),
            "run.conf:3: unknown key \"isntance\"; did you mean \"instance\"?");
}

TEST(RunConf, RestartPolicies) {
  auto conf = parse_run_conf("[{\"service\": \"web\", \"restart\": \"on-failure\"}]", "run.conf");
  EXPECT_EQ(conf.entries.at(0).restart->value, "on-failure");
  EXPECT_EQ(
      conf_error("[\n{\"service\": \"web\",\n \"restart\": \"on-faliure\"}]"),
      "run.conf:3: \"restart\" must be \"no\", \"on-failure\" or \"always\", not \"on-faliure\"; did you "
      "mean \"on-failure\"?");
  EXPECT_EQ(conf_error("[{\"service\": \"web\", \"restart\": true}]"),
            "run.conf:1: \"restart\" must be a string, not a boolean");
}

TEST(RunConf, UnknownKeyWithoutSuggestion) {
  EXPECT_EQ(conf_error("[{\"service\": \"demo\", \"zzzzzzzz\": 1}]"), "run.conf:1: unknown key \"zzzzzzzz\"");
}

TEST(RunConf, WrongTypes) {
  EXPECT_EQ(conf_error("[\n{\"service\": \"demo\",\n\n \"sleep\": \"5\"}]"),
            "run.conf:4: \"sleep\" must be a number, not a string");
  EXPECT_EQ(conf_error("[{\"service\": \"demo\", \"publish_ports\": 1}]"),
            "run.conf:1: \"publish_ports\" must be a boolean, not a number");
  EXPECT_EQ(conf_error("[{\"service\": \"demo\", \"nethost\": \"maybe\"}]"),
            "run.conf:1: \"nethost\" must be true or false, not \"maybe\"");
  EXPECT_EQ(conf_error("[{\"service\": \"demo\", \"links\": \"a-b:c\"}]"),
            "run.conf:1: \"links\" must be a list, not a string");
  EXPECT_EQ(conf_error("[{\"service\": \"demo\", \"sleep\": 1.5}]"),
            "run.conf:1: \"sleep\" must be a whole number of seconds between 0 and 86400");
  EXPECT_EQ(conf_error("[{\"service\": \"demo\", \"env_vars\": {\"A\": [1]}}]"),
            "run.conf:1: env_vars \"A\" must be a string or null, not a list");
  EXPECT_EQ(conf_error("{\"service\": \"demo\"}"),
            "run.conf:1: the run conf must be a list of objects, not an object");
  EXPECT_EQ(conf_error("[\"demo\"]"), "run.conf:1: each entry must be an object, not a string");
}

TEST(RunConf, DuplicatePair) {
  EXPECT_EQ(conf_error(
                "[\n\n{\"service\": \"demo\", \"instance\": \"one\"},\n{\"service\": \"demo\", \"instance\": "
                "\"two\"},\n\n\n\n\n{\"service\": \"demo\", \"instance\": \"one\"}\n]"),
            "run.conf:9: duplicate instance demo/one (first at line 3)");
}

TEST(RunConf, NullInstancesAreNotDuplicates) {
  EXPECT_EQ(parse_run_conf("[{\"service\": \"a\", \"instance\": null}, {\"service\": \"a\"}]", "run.conf")
                .entries.size(),
            2u);
}

TEST(RunConf, NotJson) {
  EXPECT_EQ(conf_error("[\n {\"service\": \"demo\"\n  \"instance\": \"one\"}\n]"),
            "run.conf:3: invalid JSON: expected ',' or '}', not '\"'");
  EXPECT_EQ(conf_error("[\n {\"service\": 'demo'}]"), "run.conf:2: invalid JSON: unexpected character '''");
  EXPECT_EQ(conf_error("[{\"service\": \"demo\"},\n]"),
            "run.conf:2: invalid JSON: a ',' before ']' (JSON allows no comma after the last item)");
  EXPECT_EQ(conf_error("[{\"service\": \"demo\", \"instance\": \"one\",\n  }]"),
            "run.conf:2: invalid JSON: a ',' before '}' (JSON allows no comma after the last member)");
  EXPECT_EQ(conf_error("[{\"service\": \"demo\", \"service\": \"x\"}]"),
            "run.conf:1: duplicate key \"service\"");
  EXPECT_EQ(conf_error("[{\"service\": \"de\nmo\"}]"), "run.conf:1: invalid JSON: unterminated string");
}

TEST(RunConf, MissingServiceAndBadLinks) {
  EXPECT_EQ(conf_error("[{\"instance\": \"one\"}]"), "run.conf:1: entry has no \"service\"");
  EXPECT_EQ(conf_error("[{\"service\": \"a\", \"links\": [\"nodash:x\"]}]"),
            "run.conf:1: link \"nodash:x\" must be \"SERVICE-INSTANCE:ALIAS\" or an object with \"name\", "
            "\"service\" "
            "and \"instance\"");
  EXPECT_EQ(conf_error("[{\"service\": \"a\", \"links\": [{\"name\": \"X\", \"service\": \"b\"}]}]"),
            "run.conf:1: a link object needs \"name\", \"service\" and \"instance\" (null = any)");
}

TEST(RunConf, LinkSplitsAtTheLastDash) {
  auto conf = parse_run_conf("[{\"service\": \"a\", \"links\": [\"my-web-svc-two:web\"]}]", "run.conf");
  EXPECT_EQ(conf.entries[0].links[0].service, "my-web-svc");
  EXPECT_EQ(*conf.entries[0].links[0].instance, "two");
}

TEST(HostConf, ParsesAndSerializes) {
  HostConf conf =
      parse_host_conf("# saved\n{\"last_conf\": \"prod\", \"API_KEY\": \"a#b\", \"N\": 3}\n", "host.conf");
  EXPECT_EQ(*conf.last_conf, "prod");
  EXPECT_EQ(conf.values.at("API_KEY"), "a#b");
  EXPECT_EQ(conf.values.at("N"), "3");
  EXPECT_EQ(to_json_text(conf),
            "{\n  \"API_KEY\": \"a#b\",\n  \"N\": \"3\",\n  \"last_conf\": \"prod\"\n}\n");
  HostConf again = parse_host_conf(to_json_text(conf), "host.conf");
  EXPECT_EQ(again.values, conf.values);
  EXPECT_EQ(error_of([] { parse_host_conf("[]", "host.conf"); }),
            "host.conf:1: host.conf must be an object, not a list");
}

TEST(Jsonc, UnicodeEscapes) {
  JsonValue v = parse_jsonc("\"\\u00e9\\ud83d\\ude00\"", "x.json");
  EXPECT_EQ(v.string, "\xc3\xa9\xf0\x9f\x98\x80");
}

TEST(RunConf, WatchesIsAListOfServices) {
  RunConf conf = parse_run_conf("[{\"service\": \"lb\",\n \"watches\": [\"web\",\n \"db\"]}]", "run.conf");
  ASSERT_EQ(conf.entries[0].watches.size(), 2u);
  EXPECT_EQ(conf.entries[0].watches[1].value, "db");
  EXPECT_EQ(conf.entries[0].watches[1].line, 3);
  EXPECT_EQ(conf_error("[{\"service\": \"lb\", \"watches\": \"web\"}]"),
            "run.conf:1: \"watches\" must be a list of strings, not a string");
  EXPECT_EQ(conf_error("[{\"service\": \"lb\", \"watches\": [1]}]"),
            "run.conf:1: \"watches\" items must be strings, not a number");
}
