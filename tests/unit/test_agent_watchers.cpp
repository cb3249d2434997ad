#include "agent/watchers.hpp"

#include <gtest/gtest.h>

namespace dockerops::agent {
namespace {

ObservedInstance instance(const std::string& service, const std::string& ip, const std::string& state,
                          const std::string& watches = "") {
  ObservedInstance o;
  o.service = service;
  o.instance = ip;
  o.ip = ip;
  o.state = state;
  o.watches = watches;
  return o;
}

TEST(AgentWatchers, NoWatcherNothingToWatch) {
  EXPECT_EQ(watched_membership({instance("web", "172.30.0.3", "running")}), std::nullopt);
  // A watcher that does not run is told nothing now (it is told when it starts).
  EXPECT_EQ(watched_membership(
                {instance("web", "172.30.0.3", "running"), instance("lb", "172.30.0.2", "exited", "web")}),
            std::nullopt);
}

TEST(AgentWatchers, UpInstancesPerServiceSorted) {
  auto members = watched_membership(
      {instance("web", "172.30.0.9", "running"), instance("web", "172.30.0.10", "restarting"),
       instance("web", "172.30.0.11", "exited"), instance("lb", "172.30.0.2", "running", "web")});
  EXPECT_EQ(members, "lb=172.30.0.2;web=172.30.0.10,172.30.0.9");
  // A member that dies changes it.
  EXPECT_NE(members, watched_membership({instance("web", "172.30.0.9", "exited"),
                                         instance("web", "172.30.0.10", "restarting"),
                                         instance("lb", "172.30.0.2", "running", "web")}));
}

} // namespace
} // namespace dockerops::agent
