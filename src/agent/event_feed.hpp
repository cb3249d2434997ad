#pragma once

#include "agent/event.hpp"
#include "agent/event_filter.hpp"
#include "agent/event_log.hpp"
#include "agent/event_tail.hpp"

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace dockerops::http {
class Stream;
}

namespace dockerops::agent {

// The event log as a live feed: GET /api/v1/events streams (SSE) get the history they ask for,
// then every event as it is appended, by the agent or by a command (the feed tails the file).
// Thread-safe: the agent's loop polls it, the API's thread subscribes.
class EventFeed {
public:
  explicit EventFeed(const EventLog& log, std::size_t kept = 10000);

  // Reads the history (and reports a torn line once, as a warning). Call once before serving.
  void start();

  // Delivers what writers appended since the last call to every subscriber; returns it.
  std::vector<Event> poll();

  // A new SSE stream: "retry:", then the kept events matching `filter` when `replay` (every one
  // after filter.after_id; all of them when that id is newer than the log, i.e. the log was
  // reset), then new matching events as they come.
  std::shared_ptr<http::Stream> subscribe(const EventFilter& filter, bool replay);

  // Sends a comment to every subscriber (keeps idle streams open) and forgets closed ones.
  void keep_alive();

  // The id of the newest event known.
  std::uint64_t last_id() const;

  // The kept events of one instance (restart counts at start-up).
  std::vector<Event> history() const;

  std::size_t subscribers() const;

private:
  struct Subscriber {
    std::weak_ptr<http::Stream> stream;
    EventFilter filter;
  };
  void keep(const Event& event);

  const EventLog& m_log;
  std::size_t m_kept;
  mutable std::mutex m_mutex{};
  std::optional<EventTail> m_tail{};
  std::deque<Event> m_events{};
  std::vector<Subscriber> m_subscribers{};
};

// One event as an SSE message: "id: N" and the event's JSON as data.
std::string event_frame(const Event& event);

} // namespace dockerops::agent
