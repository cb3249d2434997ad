#include "agent/event_filter.hpp"

#include "base/error.hpp"
#include "base/time_text.hpp"

#include <charconv>

namespace dockerops::agent {

bool EventFilter::matches(const Event& event) const {
  if (after_id && event.id <= *after_id)
    return false;
  if (since_millis) {
    auto at = time_text::parse_millis(event.time);
    if (!at || *at < *since_millis)
      return false;
  }
  if (!service.empty() && event.service != service)
    return false;
  return instance.empty() || event.instance == instance;
}

void parse_since(std::string_view text, EventFilter& filter, std::chrono::system_clock::time_point now) {
  std::uint64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!text.empty() && error == std::errc() && end == text.data() + text.size()) {
    filter.after_id = number;
    return;
  }
  if (!text.empty() && error == std::errc() && end == text.data() + text.size() - 1) {
    std::int64_t unit = 0;
    switch (text.back()) {
    case 's':
      unit = 1000;
      break;
    case 'm':
      unit = 60 * 1000;
      break;
    case 'h':
      unit = 3600 * 1000;
      break;
    case 'd':
      unit = 86400 * 1000;
      break;
    default:
      break;
    }
    if (unit != 0) {
      auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
      filter.since_millis = now_ms - static_cast<std::int64_t>(number) * unit;
      return;
    }
  }
  if (text.find('T') != std::string_view::npos || text.find('t') != std::string_view::npos) {
    if (auto millis = time_text::parse_millis(text)) {
      filter.since_millis = *millis;
      return;
    }
  }
  fail(ErrorKind::usage,
       "since: \"{}\" is not an event id (42), an RFC 3339 time (2025-05-01T12:00:00Z) nor a duration "
       "(90s, 10m, 2h, 1d)",
       text);
}

} // namespace dockerops::agent
