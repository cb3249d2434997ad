// The event log on a real folder: ids, rotation, torn lines (readers skip and say so, the next
// writer cuts them off and records it), and the tail that follows appends across rotations.

#include "agent/event_log.hpp"
#include "agent/event_tail.hpp"
#include "base/time_text.hpp"

#include "../support/temp_dir.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <thread>

namespace dockerops::agent {
namespace {

class EventLogTest : public ::testing::Test {
protected:
  static Event make(const std::string& action, const std::string& instance = "one") {
    Event e;
    e.service = "web";
    e.instance = instance;
    e.action = action;
    e.outcome = "observed";
    e.source = "engine";
    return e;
  }
  void append_raw(const std::string& bytes) { m_temp.append("events.jsonl", bytes); }

  dockerops::testing::TempDir m_temp;
  const std::filesystem::path& m_dir = m_temp.path();
};

TEST_F(EventLogTest, AppendsNumberedTimedLines) {
  EventLog log(m_dir);
  Event first = log.append(make("start"));
  Event second = log.append(make("die"));
  EXPECT_EQ(first.id, 1u);
  EXPECT_EQ(second.id, 2u);
  EXPECT_TRUE(time_text::parse_millis(first.time).has_value()) << first.time;
  auto events = log.read_all();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].action, "die");
  EXPECT_EQ(format_event(events[1]), events[1].time + " web/one die (observed)");
  // A new writer (an agent restart) goes on from the last id.
  EXPECT_EQ(EventLog(m_dir).append(make("start")).id, 3u);
}

TEST_F(EventLogTest, RotatesAndStaysBounded) {
  EventLog log(m_dir, 2000);
  for (int i = 0; i < 60; ++i)
    log.append(make("start", "i" + std::to_string(i)));
  EXPECT_TRUE(std::filesystem::exists(log.rotated_path()));
  EXPECT_LE(std::filesystem::file_size(log.path()), 2000u);
  EXPECT_LE(std::filesystem::file_size(log.rotated_path()), 2000u);
  auto events = log.read_all();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().id, 60u);
  for (std::size_t i = 1; i < events.size(); ++i)
    EXPECT_EQ(events[i].id, events[i - 1].id + 1); // both files, in order, no gap
  // When the current file is empty (just rotated), the id goes on from the rotated one.
  std::filesystem::rename(log.path(), log.rotated_path());
  EXPECT_EQ(log.append(make("die")).id, 61u);
}

TEST_F(EventLogTest, ReadersSkipATornLineAndTheNextWriterRepairsIt) {
  EventLog log(m_dir);
  log.append(make("start"));
  append_raw("{\"id\":2,\"time\":\"2025-01-01T00:00:00.000Z\",\"act"); // a writer killed mid-line
  std::vector<std::string> problems;
  auto events = log.read_all(&problems);
  EXPECT_EQ(events.size(), 1u);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "events.jsonl: skipped a torn last line (46 bytes)");
  Event next = log.append(make("die"));
  EXPECT_EQ(next.id, 3u);
  problems.clear();
  events = log.read_all(&problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].action, "log-repaired");
  EXPECT_EQ(events[1].reason,
            "a torn last line of 46 bytes was cut off (a writer stopped in the middle of it)");
  EXPECT_EQ(events[2].action, "die");
}

TEST_F(EventLogTest, LinesThatAreNotEventsAreSkippedAndNamed) {
  EventLog log(m_dir);
  log.append(make("start"));
  append_raw("not json\n{\"id\":\"x\",\"time\":\"t\",\"action\":\"a\"}\n");
  log.append(make("die"));
  std::vector<std::string> problems;
  auto events = log.read_all(&problems);
  EXPECT_EQ(events.size(), 2u);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].rfind("events.jsonl:2: skipped a line that is not an event (", 0), 0u) << problems[0];
  EXPECT_EQ(problems[1],
            "events.jsonl:3: skipped a line that is not an event (event without a numeric \"id\")");
}

TEST_F(EventLogTest, ConcurrentWritersNeverShareAnId) {
  EventLog log(m_dir, 4000);
  // Two processes and two threads each, appending at once: flock orders them.
  pid_t child = ::fork();
  if (child == 0) {
    EventLog other(m_dir, 4000);
    for (int i = 0; i < 50; ++i)
      other.append(make("child"));
    ::_exit(0);
  }
  std::thread helper([&] {
    for (int i = 0; i < 50; ++i)
      log.append(make("thread"));
  });
  for (int i = 0; i < 50; ++i)
    log.append(make("parent"));
  helper.join();
  int status = 0;
  ::waitpid(child, &status, 0);
  std::set<std::uint64_t> ids;
  std::vector<std::string> problems;
  // 150 events over rotations of 4000 bytes: read the tail end and check it is consistent.
  auto events = log.read_all(&problems);
  EXPECT_TRUE(problems.empty());
  for (const auto& e : events)
    EXPECT_TRUE(ids.insert(e.id).second) << e.id;
  EXPECT_EQ(*ids.rbegin(), 150u);
}

TEST_F(EventLogTest, TailFollowsAppendsRotationsAndTornLines) {
  EventLog log(m_dir, 1500);
  log.append(make("before"));
  EventTail tail(log.path(), true);
  EXPECT_TRUE(tail.poll().empty()); // starts at the end
  std::uint64_t last = 1;
  std::uint64_t seen = 1;
  for (int i = 0; i < 40; ++i) {
    last = log.append(make("a" + std::to_string(i))).id;
    if (i % 7 == 0) {
      for (const auto& e : tail.poll())
        EXPECT_EQ(e.id, ++seen);
    }
  }
  for (const auto& e : tail.poll())
    EXPECT_EQ(e.id, ++seen);
  EXPECT_EQ(seen, last);
  append_raw("{\"id\":99,\"ti");
  std::vector<std::string> problems;
  EXPECT_TRUE(tail.poll(&problems).empty());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "events.jsonl: skipped a torn last line (12 bytes)");
  problems.clear();
  EXPECT_TRUE(tail.poll(&problems).empty());
  EXPECT_TRUE(problems.empty()); // said once
  log.append(make("after"));
  auto after = tail.poll(&problems);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].action, "log-repaired");
  EXPECT_EQ(after[1].action, "after");
}

TEST_F(EventLogTest, TailOfALogNotYetWrittenGetsItsFirstEvent) {
  EventLog log(m_dir);
  EventTail tail(log.path(), true);
  EXPECT_TRUE(tail.poll().empty());
  log.append(make("first"));
  auto events = tail.poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, "first");
}

TEST(TimeText, FormatsAndParses) {
  auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714564800123));
  EXPECT_EQ(time_text::rfc3339(t), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(time_text::parse_millis("2024-05-01T12:00:00.123Z"), 1714564800123);
  EXPECT_EQ(time_text::parse_millis("2024-05-01T14:00:00+02:00"), 1714564800000);
  EXPECT_EQ(time_text::parse_millis("2024-05-01T12:00:00.5Z"), 1714564800500);
  EXPECT_EQ(time_text::parse_millis("1714564800"), 1714564800000);
  EXPECT_EQ(time_text::parse_millis("2024-05-01"), std::nullopt);
  EXPECT_EQ(time_text::parse_millis("2024-13-01T12:00:00Z"), std::nullopt);
  EXPECT_EQ(time_text::parse_millis("yesterday"), std::nullopt);
}

} // namespace
} // namespace dockerops::agent
