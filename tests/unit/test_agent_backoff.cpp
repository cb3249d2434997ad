#include "agent/backoff.hpp"

#include <gtest/gtest.h>

namespace dockerops::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Backoff, DoublesUpToTheCapAndResets) {
  Backoff backoff(milliseconds(500), seconds(4));
  EXPECT_EQ(backoff.next(), milliseconds(500));
  EXPECT_EQ(backoff.next(), milliseconds(1000));
  EXPECT_EQ(backoff.next(), milliseconds(2000));
  EXPECT_EQ(backoff.next(), milliseconds(4000));
  EXPECT_EQ(backoff.next(), milliseconds(4000));
  EXPECT_EQ(backoff.failures(), 5u);
  backoff.reset();
  EXPECT_EQ(backoff.next(), milliseconds(500));
}

TEST(Backoff, RestartDelays) {
  EXPECT_EQ(restart_delay(1), milliseconds(0));
  EXPECT_EQ(restart_delay(2), seconds(1));
  EXPECT_EQ(restart_delay(3), seconds(2));
  EXPECT_EQ(restart_delay(4), seconds(4));
  EXPECT_EQ(restart_delay(7), seconds(32));
  EXPECT_EQ(restart_delay(8), seconds(60));
  EXPECT_EQ(restart_delay(50), seconds(60));
}

TEST(Backoff, CrashLoopsGrowAndEndAfterAStablePeriod) {
  CrashLoops loops;
  Clock::time_point t0{seconds(1000)};
  EXPECT_EQ(loops.failed("web/one", "d1", t0), t0);                           // at once
  EXPECT_EQ(loops.failed("web/one", "d2", t0 + seconds(1)), t0 + seconds(2)); // 1 s
  EXPECT_EQ(loops.failed("web/one", "d3", t0 + seconds(3)), t0 + seconds(5)); // 2 s
  EXPECT_EQ(loops.failures("web/one"), 3u);
  // The same death seen again (the next pass) is not a new failure.
  EXPECT_EQ(loops.failed("web/one", "d3", t0 + seconds(4)), t0 + seconds(5));
  EXPECT_EQ(loops.failures("web/one"), 3u);
  EXPECT_EQ(loops.failures("web/two"), 0u);
  // Running, but not long enough yet: the loop goes on.
  loops.running("web/one", t0 + seconds(5), t0 + seconds(9));
  EXPECT_EQ(loops.failed("web/one", "d4", t0 + seconds(10)), t0 + seconds(14)); // 4 s
  // Ten seconds of running end it; the next failure is the first of a new loop.
  loops.running("web/one", t0 + seconds(14), t0 + seconds(24));
  EXPECT_EQ(loops.failures("web/one"), 0u);
  EXPECT_FALSE(loops.not_before("web/one").has_value());
  EXPECT_EQ(loops.failed("web/one", "d5", t0 + seconds(30)), t0 + seconds(30));
  // A failure long after the last one also starts over (the agent missed the running period).
  EXPECT_EQ(loops.failed("web/one", "d6", t0 + seconds(31)), t0 + seconds(32));
  EXPECT_EQ(loops.failed("web/one", "d7", t0 + seconds(100)), t0 + seconds(100));
}

} // namespace
} // namespace dockerops::agent
