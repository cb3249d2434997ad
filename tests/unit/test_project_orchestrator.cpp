#include "project/orchestrator.hpp"

#include "base/error.hpp"

#include <gtest/gtest.h>

using namespace dockerops;
using namespace dockerops::project;

namespace {

std::string error_of(const HostConf& conf, const std::optional<std::string>& env) {
  try {
    choose_orchestrator(conf, env);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::config);
    return e.what();
  }
  return "";
}

} // namespace

TEST(Orchestrator, NothingSetIsTheDockerDaemon) {
  EXPECT_EQ(choose_orchestrator(parse_host_conf("", "host.conf"), std::nullopt), Orchestrator::docker);
  EXPECT_EQ(choose_orchestrator(parse_host_conf("{}", "host.conf"), std::string()), Orchestrator::docker);
}

TEST(Orchestrator, HostConfAndTheEnvironmentWhichWins) {
  HostConf conf = parse_host_conf("{\n  \"orchestrator\": \"swarm\"\n}\n", "host.conf");
  EXPECT_EQ(choose_orchestrator(conf, std::nullopt), Orchestrator::swarm);
  EXPECT_EQ(choose_orchestrator(conf, std::string("docker")), Orchestrator::docker);
  EXPECT_EQ(choose_orchestrator(parse_host_conf("{}", "host.conf"), std::string("swarm")),
            Orchestrator::swarm);
  EXPECT_EQ(to_string(Orchestrator::swarm), "swarm");
}

TEST(Orchestrator, AnUnknownNameSaysWhereItCameFrom) {
  HostConf conf = parse_host_conf("{\n  \"orchestrator\": \"swram\"\n}\n", "host.conf");
  std::string e = error_of(conf, std::nullopt);
  EXPECT_NE(e.find("host.conf:2: \"orchestrator\": unknown orchestrator \"swram\""), std::string::npos) << e;
  EXPECT_NE(e.find("swarm"), std::string::npos) << e;
  e = error_of(parse_host_conf("{}", "host.conf"), std::string("kubernetes"));
  EXPECT_NE(e.find("DOCKEROPS_ORCHESTRATOR: unknown orchestrator \"kubernetes\""), std::string::npos) << e;
}

TEST(Orchestrator, TheRegistryIsHostAndPort) {
  HostConf ok =
      parse_host_conf("{\"orchestrator\": \"swarm\", \"registry\": \"10.0.0.5:5000\"}", "host.conf");
  EXPECT_EQ(choose_orchestrator(ok, std::nullopt), Orchestrator::swarm);
  for (std::string bad : {"http://10.0.0.5:5000", "10.0.0.5:5000/x", "10.0.0.5:port", ""}) {
    HostConf conf = parse_host_conf("{\n\"registry\": \"" + bad + "\"\n}", "host.conf");
    EXPECT_NE(error_of(conf, std::nullopt).find("host.conf:2: \"registry\""), std::string::npos) << bad;
  }
}
