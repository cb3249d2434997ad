#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dockerops::time_text {

// "2025-05-01T12:00:00.123Z": RFC 3339 in UTC with milliseconds, so that lexical order is time
// order (event logs, API timestamps).
std::string rfc3339(std::chrono::system_clock::time_point time);

// Milliseconds since the epoch of an RFC 3339 time ("...Z" or "+02:00", fraction optional), or
// of a plain number of seconds since the epoch; nullopt for anything else.
std::optional<std::int64_t> parse_millis(std::string_view text);

} // namespace dockerops::time_text
