#include "core/watch_sync.hpp"

#include <gtest/gtest.h>

namespace dockerops::core {
namespace {

TEST(WatchPacing, ChangesWithinTheQuietPeriodAreOneDelivery) {
  WatchPacing pacing(1.0);
  EXPECT_EQ(pacing.next_due(), std::nullopt);
  pacing.observe("web=a", 0.0);
  EXPECT_FALSE(pacing.due(0.5));
  EXPECT_EQ(pacing.next_due(), 1.0);
  pacing.observe("web=a,b", 0.6); // a second change restarts the quiet period
  EXPECT_EQ(pacing.next_due(), 1.6);
  EXPECT_FALSE(pacing.due(1.2));
  pacing.observe("web=a,b", 1.3); // no change: the period runs on
  EXPECT_TRUE(pacing.due(1.6));
  pacing.delivered(true, 1.6);
  EXPECT_FALSE(pacing.due(5.0)); // delivered: nothing until the next change
  EXPECT_EQ(pacing.next_due(), std::nullopt);
  pacing.observe("web=b", 6.0);
  EXPECT_FALSE(pacing.due(6.9));
  EXPECT_TRUE(pacing.due(7.0));
}

TEST(WatchPacing, AFailedDeliveryBacksOffExponentiallyUpToTheCap) {
  WatchPacing pacing(1.0, 1.0, 4.0);
  pacing.observe("web=a", 0.0);
  ASSERT_TRUE(pacing.due(1.0));
  pacing.delivered(false, 1.0);
  EXPECT_EQ(pacing.next_due(), 2.0);
  EXPECT_FALSE(pacing.due(1.9));
  EXPECT_TRUE(pacing.due(2.0)); // 1 s
  pacing.delivered(false, 2.0);
  EXPECT_FALSE(pacing.due(3.9));
  EXPECT_TRUE(pacing.due(4.0)); // 2 s
  pacing.delivered(false, 4.0);
  EXPECT_TRUE(pacing.due(8.0)); // 4 s
  pacing.delivered(false, 8.0);
  EXPECT_FALSE(pacing.due(11.9));
  EXPECT_TRUE(pacing.due(12.0)); // capped at 4 s
  pacing.delivered(true, 12.0);
  EXPECT_FALSE(pacing.due(100.0));
}

TEST(WatchPacing, MembershipFingerprintIsPerServiceAndSorted) {
  plan::ObservedState s;
  auto c = [](const std::string& service, const std::string& ip, const std::string& state) {
    plan::ObservedContainer o;
    o.labels = {{"dockerops.project", "p"}, {"dockerops.service", service}};
    o.ip = ip;
    o.state = state;
    return o;
  };
  s.containers = {c("web", "172.30.0.10", "running"), c("web", "172.30.0.9", "running"),
                  c("web", "172.30.0.11", "exited"), c("db", "172.30.0.3", "running")};
  EXPECT_EQ(membership_fingerprint(s, "p"), "db=172.30.0.3;web=172.30.0.9,172.30.0.10");
}

} // namespace
} // namespace dockerops::core
