#pragma once

#include "agent/event.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dockerops::agent {

// Which events a reader wants: `dockerops events since=... service=...` and the API's
// `?since=` / Last-Event-ID.
struct EventFilter {
  std::optional<std::uint64_t> after_id{};    // events with a larger id
  std::optional<std::int64_t> since_millis{}; // events at or after this time (ms since the epoch)
  std::string service{};                      // empty = every service
  std::string instance{};                     // empty = every instance

  bool matches(const Event& event) const;
};

// Reads a `since` value: a plain number is an event id (resume after it, as SSE's Last-Event-ID),
// an RFC 3339 time ("2025-05-01T12:00:00Z") or a duration back from `now` ("90s", "10m", "2h",
// "1d") is a time. Throws a usage Error naming the accepted forms.
void parse_since(std::string_view text, EventFilter& filter,
                 std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

} // namespace dockerops::agent
