#include "agent/event_filter.hpp"

#include "../support/error_of.hpp"

#include <gtest/gtest.h>

namespace dockerops::agent {
namespace {

TEST(EventFilter, SinceIsAnIdATimeOrADuration) {
  auto now = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714564800000));
  EventFilter id;
  parse_since("42", id, now);
  EXPECT_EQ(id.after_id, 42u);
  EventFilter time;
  parse_since("2024-05-01T11:00:00Z", time, now);
  EXPECT_EQ(time.since_millis, 1714564800000 - 3600 * 1000);
  EventFilter ago;
  parse_since("10m", ago, now);
  EXPECT_EQ(ago.since_millis, 1714564800000 - 600 * 1000);
  EventFilter bad;
  EXPECT_EQ(testing::error_of([&] { parse_since("yesterday", bad, now); }),
            "since: \"yesterday\" is not an event id (42), an RFC 3339 time (2025-05-01T12:00:00Z) nor a "
            "duration (90s, 10m, 2h, 1d)");
  EXPECT_NE(testing::error_of([&] { parse_since("10y", bad, now); }), "no error");
  EXPECT_NE(testing::error_of([&] { parse_since("", bad, now); }), "no error");
}

TEST(EventFilter, Matches) {
  Event e;
  e.id = 5;
  e.time = "2024-05-01T12:00:00.000Z";
  e.service = "web";
  e.instance = "one";
  EventFilter f;
  EXPECT_TRUE(f.matches(e));
  f.after_id = 5;
  EXPECT_FALSE(f.matches(e));
  f.after_id = 4;
  f.service = "web";
  f.instance = "two";
  EXPECT_FALSE(f.matches(e));
  f.instance = "one";
  f.since_millis = 1714564800001;
  EXPECT_FALSE(f.matches(e));
  f.since_millis = 1714564800000;
  EXPECT_TRUE(f.matches(e));
}

} // namespace
} // namespace dockerops::agent
