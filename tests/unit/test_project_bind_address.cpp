// Issue 20 item 2: a mistyped bind address is an error before anything starts, never "all interfaces".
#include "../support/resolve_world.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using dockerops::testing::World;

namespace {

std::string ports_of(const project::ResolvedInstance& r) {
  std::string out;
  for (const auto& port : r.ports)
    out += (out.empty() ? "" : " ") + project::fmt_port(port);
  return out;
}

} // namespace

TEST(BindAddress, HostNamesAndGarbageInPortsAreErrors) {
  World localhost("[\n{\"service\": \"web\", \"instance\": \"one\",\n \"ports\": [\"localhost:18081:80\"]}]");
  EXPECT_EQ(localhost.error(),
            "run.conf:3: port \"localhost:18081:80\": \"localhost\" is not an IP address "
            "(write an IPv4 or IPv6 address such as 127.0.0.1; host names are not resolved)");
  World garbage("[{\"service\": \"web\", \"instance\": \"one\", \"ports\": [\"not-an-ip:18080:80\"]}]");
  EXPECT_EQ(garbage.error(),
            "run.conf:1: port \"not-an-ip:18080:80\": \"not-an-ip\" is not an IP address "
            "(write an IPv4 or IPv6 address such as 127.0.0.1; host names are not resolved)");
  World blank("[{\"service\": \"web\", \"instance\": \"one\", \"ports\": [\" 127.0.0.1:18080:80\"]}]");
  EXPECT_EQ(blank.error(), "run.conf:1: port \" 127.0.0.1:18080:80\": \" 127.0.0.1\" is not an IP address "
                           "(remove the blanks around it)");
  World octets("[{\"service\": \"web\", \"instance\": \"one\", \"ports\": [\"127.0.0.256:1:2\"]}]");
  EXPECT_NE(octets.error().find("\"127.0.0.256\" is not an IP address"), std::string::npos);
  World v6_unbracketed("[{\"service\": \"web\", \"instance\": \"one\", \"ports\": [\"::1:8080:80\"]}]");
  EXPECT_NE(v6_unbracketed.error().find("must be HOST:CONTAINER"), std::string::npos);
  World v4_in_brackets(
      "[{\"service\": \"web\", \"instance\": \"one\", \"ports\": [\"[127.0.0.1]:8080:80\"]}]");
  EXPECT_NE(v4_in_brackets.error().find("\"127.0.0.1\" is not an IP address"), std::string::npos);
}

TEST(BindAddress, LiteralsAreKept) {
  World w(R"([{"service": "web", "instance": "one",
  "ports": ["127.0.0.1:18080:80", "[::1]:18443:443", "0.0.0.0:18053:53/udp", "18081:81"]}])");
  EXPECT_EQ(ports_of(w.run().instances.at(0)),
            "127.0.0.1:18080:80/tcp 18081:81/tcp [::1]:18443:443/tcp 0.0.0.0:18053:53/udp");
}

TEST(BindAddress, PublishOnIpNamesTheVariableAndItsSource) {
  World conf(R"([{"service": "web", "instance": "published",
  "env_vars": {"PUBLISH_ON_IP": "127.0.0.1 "}}])");
  EXPECT_EQ(conf.error(), "run.conf:2: web/published: PUBLISH_ON_IP \"127.0.0.1 \" is not an IP address to "
                          "publish ports on (remove the blanks around it)");
  World env(
      R"([{"service": "web", "instance": "one", "ports": ["18080:80"], "env_vars": {"PUBLISH_ON_IP": null}}])");
  env.host.env = {{"PUBLISH_ON_IP", "localhost"}};
  EXPECT_EQ(env.error(), "environment: web/one: PUBLISH_ON_IP \"localhost\" is not an IP address to publish "
                         "ports on (write an IPv4 or IPv6 address such as 127.0.0.1; host names are not "
                         "resolved)");
  World host_conf(R"([{"service": "web", "instance": "published", "env_vars": {"PUBLISH_ON_IP": null}}])");
  host_conf.host_conf.values = {{"PUBLISH_ON_IP", "my-host"}};
  EXPECT_NE(host_conf.error().find("host.conf: web/published: PUBLISH_ON_IP \"my-host\""), std::string::npos);
}

TEST(BindAddress, ServiceIpOnlyMattersWhenItBinds) {
  // A master publishes on SERVICE_IP: a host name there is an error.
  World master("[]");
  master.host.env = {{"SERVICE_IP", "db.example"}};
  EXPECT_EQ(master.error("web", "master"),
            "environment: web/master: SERVICE_IP \"db.example\" is not an IP address to publish ports on "
            "(write an IPv4 or IPv6 address such as 127.0.0.1; host names are not resolved)");
  // A standard instance publishes nothing: SERVICE_IP is just a variable.
  World standard(R"([{"service": "web", "instance": "one", "env_vars": {"SERVICE_IP": "db.example"}}])");
  EXPECT_EQ(standard.run().instances.at(0).ports.size(), 0u);
  // PUBLISH_ON_IP wins over SERVICE_IP, which is then not a bind address.
  World both(R"([{"service": "web", "instance": "published",
  "env_vars": {"SERVICE_IP": "db.example", "PUBLISH_ON_IP": "::1"}}])");
  EXPECT_EQ(ports_of(both.run().instances.at(0)),
            "[::1]:80:80/tcp [::1]:443:443/tcp [::1]:19000:9000/tcp [::1]:5353:5353/udp");
}
