#pragma once

#include <chrono>
#include <cstddef>

// The bounds every request to the agent's API is held to (docs/decisions.md 30). A request over
// a bound gets the 4xx that says which, never a crash nor a 500.
namespace dockerops::http {

// A request body larger than this is refused with 413 before it is read.
inline constexpr std::size_t k_max_body = 1024 * 1024;

// The request target (path and query as sent) longer than this is refused with 414.
inline constexpr std::size_t k_max_target = 8 * 1024;

// Memory per connection for the request line and headers: more gets the library's own 431/414.
inline constexpr std::size_t k_connection_memory = 64 * 1024;

// A connection that sends or receives nothing for this long is closed (slow clients).
inline constexpr std::chrono::seconds k_idle_timeout{20};

// SSE streams send a comment this often, so proxies and the idle timeout keep them open and a
// client that left is noticed.
inline constexpr std::chrono::seconds k_keep_alive_interval{10};

// Output pending for one stream beyond this means the client does not read: the stream ends.
inline constexpr std::size_t k_max_stream_backlog = 1024 * 1024;

// What SSE clients are told to wait before reconnecting (the `retry:` field), in milliseconds.
inline constexpr int k_sse_retry_ms = 2000;

} // namespace dockerops::http
