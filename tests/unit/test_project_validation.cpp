// Issue 20 items 7 and 9: what a run conf can hold is checked before anything starts, with file and
// line, and nothing is silently changed (surrogates, huge integers, names that collide in DNS).
#include "../support/resolve_world.hpp"
#include "project/jsonc.hpp"
#include "project/run_conf.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::project;
using dockerops::testing::error_of;
using dockerops::testing::World;

namespace {

std::string conf_error(const std::string& text) {
  return error_of([&] { parse_run_conf(text, "run.conf"); });
}

std::string entry(const std::string& extra) {
  return "[\n{\"service\": \"web\", \"instance\": \"one\",\n" + extra + "}\n]";
}

} // namespace

TEST(Validation, BytesThatAreNotTextHaveALine) {
  EXPECT_EQ(conf_error(std::string("[\n{\"service\": \"web\"}\0]", 21)),
            "run.conf:2: invalid JSON: expected ',' or ']', not a NUL byte");
  EXPECT_EQ(conf_error(std::string("[\n\0]", 4)),
            "run.conf:2: invalid JSON: unexpected character a NUL byte");
  EXPECT_EQ(conf_error("[\n{\"service\": \"w\xFF\"}]"),
            "run.conf:2: invalid JSON: invalid UTF-8 (byte 0xFF); "
            "save the file as UTF-8");
  EXPECT_EQ(conf_error("[\n\n# caf\xE9\n]"),
            "run.conf:3: invalid JSON: invalid UTF-8 (byte 0xE9); save the file as UTF-8");
  EXPECT_EQ(conf_error("[\n\xC2\xA0{}]"), "run.conf:2: invalid JSON: unexpected character U+00A0");
  EXPECT_EQ(conf_error("[\n{\"service\": \"a\tb\"}]"),
            "run.conf:2: invalid JSON: control character 0x09 in a string; write it as \\u0009");
}

TEST(Validation, ByteOrderMarkAndOldLineEnds) {
  RunConf bom = parse_run_conf("\xEF\xBB\xBF[{\"service\": \"web\"}]", "run.conf");
  EXPECT_EQ(bom.entries.size(), 1u);
  EXPECT_EQ(conf_error("[\n\xEF\xBB\xBF]"),
            "run.conf:2: invalid JSON: unexpected character a byte order mark (U+FEFF)");
  // CR-only line ends (old Mac): comments end at a CR and lines are counted.
  RunConf cr =
      parse_run_conf("# the demo\r[\r  {\"service\": \"web\",\r   \"instance\": \"one\"}\r]\r", "run.conf");
  ASSERT_EQ(cr.entries.size(), 1u);
  EXPECT_EQ(cr.entries[0].line, 3);
  EXPECT_EQ(cr.entries[0].instance->line, 4);
  EXPECT_EQ(conf_error("# x\r[\r{\"service\": \"web\", \"isntance\": 1}\r]"),
            "run.conf:3: unknown key \"isntance\"; did you mean \"instance\"?");
  RunConf crlf = parse_run_conf("[\r\n{\"service\": \"web\",\r\n\"instance\": \"one\"}]", "run.conf");
  EXPECT_EQ(crlf.entries[0].instance->line, 3);
}

TEST(Validation, EscapesAreNeverSilentlyChanged) {
  EXPECT_EQ(
      conf_error(entry(R"("env_vars": {"A": "\ud800\u0041"})")),
      "run.conf:3: invalid JSON: lone surrogate \\uD800 (a high surrogate must be followed by a low one)");
  EXPECT_EQ(conf_error(entry(R"("env_vars": {"A": "x\udc00"})")),
            "run.conf:3: invalid JSON: lone surrogate \\uDC00 (a low surrogate must follow a high one)");
  EXPECT_EQ(conf_error(entry(R"("env_vars": {"A": "a\u0000b"})")),
            "run.conf:3: invalid JSON: a NUL character (\\u0000) in a string");
  RunConf pair = parse_run_conf(entry(R"("env_vars": {"A": "\ud83d\udc33"})"), "run.conf");
  EXPECT_EQ(*pair.entries[0].env_vars[0].value, "\xF0\x9F\x90\xB3");
}

TEST(Validation, NumbersOutOfRange) {
  EXPECT_EQ(conf_error(entry("\"env_vars\": {\"N\": 1" + std::string(400, '0') + "}")),
            "run.conf:3: invalid JSON: number out of range");
  EXPECT_EQ(conf_error(entry(R"("env_vars": {"N": 9007199254740992})")),
            "run.conf:3: invalid JSON: integer out of range (beyond 2^53 - 1); quote it to pass it as text");
  EXPECT_EQ(conf_error(entry(R"("sleep": -1e999)")), "run.conf:3: invalid JSON: number out of range");
  RunConf big = parse_run_conf(
      entry(R"("env_vars": {"N": -9007199254740991, "M": "10000000000000000000000"})"), "run.conf");
  EXPECT_EQ(*big.entries[0].env_vars[0].value, "-9007199254740991");
  EXPECT_EQ(*big.entries[0].env_vars[1].value, "10000000000000000000000");
}

TEST(Validation, SizeCapsComeFirst) {
  std::string huge = "[" + std::string(k_max_run_conf_bytes, ' ') + "]";
  EXPECT_EQ(conf_error(huge),
            "run.conf: the file has 1048578 bytes; a run conf may have at most 1048576 (1 MiB)");
  std::string many = "[\n";
  for (std::size_t i = 0; i <= k_max_run_conf_entries; ++i)
    many += "{\"service\": \"web\"},\n";
  many += "{\"service\": \"web\"}]";
  EXPECT_EQ(conf_error(many),
            "run.conf:1002: more than 1000 entries; a project network holds at most 253 containers");
  // Many keys in one object stay fast (no quadratic duplicate check) and duplicates are still found.
  std::string keys = "[{\"service\": \"web\", \"env_vars\": {";
  for (int i = 0; i < 40000; ++i)
    keys += "\"V" + std::to_string(i) + "\": \"x\", ";
  keys += "\"V7\": \"y\"}}]";
  EXPECT_EQ(conf_error(keys), "run.conf:1: duplicate key \"V7\"");
}

TEST(Validation, Hostname) {
  EXPECT_EQ(
      conf_error(entry("\"hostname\": \"" + std::string(1000, 'h') + "\"")),
      "run.conf:3: \"hostname\" must be 1 to 63 letters, digits, '-', '_' or '.', starting with a letter or "
      "digit (it is 1000 characters)");
  EXPECT_NE(conf_error(entry(R"("hostname": "my host")")).find("run.conf:3: \"hostname\" must be"),
            std::string::npos);
  EXPECT_NE(conf_error(entry(R"("hostname": "")")).find("run.conf:3: \"hostname\" must be"),
            std::string::npos);
  EXPECT_EQ(parse_run_conf(entry(R"("hostname": "web-1.lan")"), "run.conf").entries[0].hostname->value,
            "web-1.lan");
}

TEST(Validation, InstanceNamesFitADnsLabel) {
  World w("[\n{\"service\": \"web\",\n \"instance\": \"" + std::string(60, 'i') + "\"}]");
  EXPECT_EQ(w.error(),
            "run.conf:3: web/" + std::string(60, 'i') + ": the name \"web-" + std::string(60, 'i') +
                "\" is 64 characters; as a hostname and DNS label it may have at most 63 (shorten the "
                "instance name)");
  World ok("[{\"service\": \"web\", \"instance\": \"" + std::string(59, 'i') + "\"}]");
  EXPECT_EQ(ok.run().instances.at(0).hostname.size(), 63u);
  World cli("[]");
  EXPECT_NE(cli.error("web", std::string(64, 'x')).find("command line: web/xxxx"), std::string::npos);
}

TEST(Validation, NamesCollidingInDnsAreRefused) {
  World conf(
      "[\n{\"service\": \"web\", \"instance\": \"one\"},\n{\"service\": \"web\", \"instance\": \"ONE\"}]");
  EXPECT_EQ(conf.error(),
            "run.conf:3: web/ONE collides with web/one (run.conf:2): both are \"web-one\" in DNS, "
            "where case does not count; rename one");
  World running("[]");
  running.input.running = {{"web", "one", "172.30.4.5"}};
  EXPECT_EQ(
      running.error("web", std::string("ONE")),
      "command line: web/ONE collides with web/one (running): both are \"web-one\" in DNS, where case does "
      "not count; rename one");
  EXPECT_EQ(running.run("web", std::string("one")).instances.size(), 1u); // the same instance again is fine
  World dashes("[]");
  add_service(dashes.project, "web-a", "FROM dockerops/base\n", "");
  dashes.input.running = {{"web-a", "b", ""}};
  EXPECT_NE(dashes.error("web", std::string("a-b")).find("web/a-b collides with web-a/b (running)"),
            std::string::npos);
}

TEST(Validation, EnvironmentNamesAndValues) {
  EXPECT_EQ(World(entry(R"("env_vars": {"": "x"})")).error(),
            "run.conf:3: web/one: a variable name must not be empty");
  EXPECT_EQ(World(entry(R"("env_vars": {"A=B": "x"})")).error(),
            "run.conf:3: web/one: variable name \"A=B\" must not contain '='");
  World big(entry("\"env_vars\": {\"BIG\": \"" + std::string(200000, 'x') + "\"}"));
  EXPECT_EQ(big.error(),
            "run.conf:3: web/one: the value of BIG is 200000 bytes; a variable may have at most 131067 "
            "(put large data in a file and mount it with \"volumes\")");
  World env(entry(R"("env_vars": {"A": null})"));
  env.host.env = {{"A", std::string("x\0y", 3)}};
  EXPECT_EQ(env.error(), "environment: web/one: the value of A contains a NUL character");
}

TEST(Validation, VolumeModes) {
  EXPECT_EQ(World(entry(R"("volumes": ["/a:/b:rx"])")).error(),
            "run.conf:3: volume \"/a:/b:rx\": unknown mode \"rx\"; did you mean \"ro\"?; use ro or rw "
            "(Docker's bind "
            "options z, Z, nocopy and the propagation modes work too)");
  auto r = World(entry(R"("volumes": ["/a:/b:ro,z", "/c:/d:rw"])")).run().instances.at(0);
  EXPECT_EQ(r.volumes.back().mode, "rw");
}

TEST(Validation, ServiceNamesAreImageNames) {
  World w("[{\"service\": \"Web\", \"instance\": \"one\"}]");
  add_service(w.project, "Web", "FROM dockerops/base\n", "");
  EXPECT_EQ(w.error(),
            "run.conf:1: service \"Web\": a service name is also part of an image name: at most 62 "
            "lower-case letters and digits, with '-', '_' or '.' between them; rename the folder");
}

TEST(Validation, ProjectNameLength) {
  EXPECT_EQ(error_of([] { sanitize_project_name(std::string(300, 'p')); }),
            "project name \"pppppppppppppppppppppppp...\" has 300 characters; it may have at most 63 (set a "
            "shorter "
            "one with --project-name)");
  EXPECT_EQ(sanitize_project_name(std::string(63, 'p')).size(), 63u);
}

TEST(Validation, LegacyDnsServiceIpIsWarnedAbout) {
  // The original demo's "DNS_SERVICE_IP": "from_eth0": dockerops points containers at the project DNS.
  World w(
      "[{\"service\": \"dockerops-dns\", \"instance\": \"master\"},\n"
      "{\"service\": \"web\", \"instance\": \"two\", \"env_vars\": {\"DNS_SERVICE_IP\": \"from_eth0\"}},\n"
      "{\"service\": \"web\", \"instance\": \"one\", \"links\": [\"dockerops-dns-master:dns\"]}]");
  auto p = w.run();
  EXPECT_EQ(p.messages.warnings,
            (std::vector<std::string>{
                "web/two: DNS_SERVICE_IP is built in: the value from run.conf:2 is ignored"}));
  EXPECT_EQ(p.instances.at(1).env.at("DNS_SERVICE_IP").value, "172.30.4.2");
  EXPECT_EQ(p.instances.at(2).env.at("DNS_SERVICE_IP").value, "172.30.4.2");
}
