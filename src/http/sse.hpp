#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Server-Sent Events framing (HTML Living Standard, "Server-sent events" §9.2.5-9.2.6).
namespace dockerops::http {

// One event: "id:", "event:" and one "data:" line per line of `data`, then a blank line. CR and
// LF in `data` start new data lines; CR/LF in `type` or `id` are dropped (they would end the field).
std::string sse_event(std::string_view data, std::string_view type = "", std::string_view id = "");

// "retry: N" (milliseconds) followed by a blank line: how long a client waits to reconnect.
std::string sse_retry(int milliseconds);

// A comment line (": text"), which clients ignore: keep-alives and notices.
std::string sse_comment(std::string_view text);

// The event ID to resume after, from the Last-Event-ID header or else `?since=`, for streams
// whose IDs are increasing integers; nullopt when neither is given; throws nothing: a value that
// is not a non-negative integer yields `invalid` set.
struct ResumePoint {
  std::optional<std::uint64_t> after{};
  bool invalid = false;
};
ResumePoint resume_point(std::string_view last_event_id, const std::optional<std::string>& since);

} // namespace dockerops::http
