#include "agent/event_feed.hpp"

#include "base/log.hpp"
#include "http/limits.hpp"
#include "http/sse.hpp"
#include "http/stream.hpp"

namespace dockerops::agent {

std::string event_frame(const Event& event) {
  return http::sse_event(to_json(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "",
                         std::to_string(event.id));
}

EventFeed::EventFeed(const EventLog& log, std::size_t kept) : m_log(log), m_kept(kept) {}

void EventFeed::start() {
  std::lock_guard lock(m_mutex);
  // The tail starts at the end before the history is read: an append in between is in both,
  // and keep() drops the second copy by its id.
  m_tail.emplace(m_log.path(), true);
  std::vector<std::string> problems;
  for (const auto& event : m_log.read_all(&problems))
    keep(event);
  for (const auto& p : problems)
    log::warning("agent: {}", p);
}

void EventFeed::keep(const Event& event) {
  if (!m_events.empty() && event.id <= m_events.back().id)
    return;
  m_events.push_back(event);
  while (m_events.size() > m_kept)
    m_events.pop_front();
}

std::vector<Event> EventFeed::poll() {
  std::lock_guard lock(m_mutex);
  std::vector<Event> fresh;
  if (!m_tail)
    return fresh;
  std::vector<std::string> problems;
  for (auto& event : m_tail->poll(&problems)) {
    if (!m_events.empty() && event.id <= m_events.back().id)
      continue;
    keep(event);
    fresh.push_back(std::move(event));
  }
  for (const auto& p : problems)
    log::warning("agent: {}", p);
  if (fresh.empty())
    return fresh;
  for (auto& s : m_subscribers) {
    auto stream = s.stream.lock();
    if (!stream)
      continue;
    for (const auto& event : fresh)
      if (s.filter.matches(event))
        stream->push(event_frame(event));
  }
  return fresh;
}

std::shared_ptr<http::Stream> EventFeed::subscribe(const EventFilter& filter, bool replay) {
  auto stream = std::make_shared<http::Stream>(http::k_max_stream_backlog);
  stream->push(http::sse_retry(http::k_sse_retry_ms));
  std::lock_guard lock(m_mutex);
  EventFilter live = filter;
  if (replay) {
    EventFilter past = filter;
    if (past.after_id && !m_events.empty() && *past.after_id > m_events.back().id)
      past.after_id.reset(); // the client knew a longer log: this one was reset, send it all
    std::string text;
    for (const auto& event : m_events)
      if (past.matches(event))
        text += event_frame(event);
    // A replay larger than the stream's backlog is cut to its most recent part.
    if (text.size() > http::k_max_stream_backlog / 2)
      text.erase(0, text.find("\nid: ", text.size() - http::k_max_stream_backlog / 2) + 1);
    stream->push(text);
  }
  live.after_id = m_events.empty() ? 0 : m_events.back().id;
  m_subscribers.push_back({stream, live});
  return stream;
}

void EventFeed::keep_alive() {
  std::lock_guard lock(m_mutex);
  std::vector<Subscriber> alive;
  for (auto& s : m_subscribers) {
    auto stream = s.stream.lock();
    if (stream && stream->push(http::sse_comment("keep-alive")))
      alive.push_back(s);
  }
  m_subscribers.swap(alive);
}

std::uint64_t EventFeed::last_id() const {
  std::lock_guard lock(m_mutex);
  return m_events.empty() ? 0 : m_events.back().id;
}

std::vector<Event> EventFeed::history() const {
  std::lock_guard lock(m_mutex);
  return {m_events.begin(), m_events.end()};
}

std::size_t EventFeed::subscribers() const {
  std::lock_guard lock(m_mutex);
  return m_subscribers.size();
}

} // namespace dockerops::agent
