#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace dockerops::agent {

// One line of the project's event log (docs/decisions.md 29): something observed (a container
// died) or something done (the agent replaced an instance), with why and how it went.
struct Event {
  std::uint64_t id = 0;  // increasing over the life of the log; set by EventLog::append
  std::string time{};    // RFC 3339 UTC with milliseconds; set by append when empty
  std::string service{}; // empty for project-wide events
  std::string instance{};
  std::string action{};  // "die", "start", "destroy", "replace", "backoff", "dns-register"...
  std::string reason{};  // for people: "exit code 137", "the container was removed"
  std::string outcome{}; // "observed", "ok", "failed", "scheduled", "suppressed"
  std::string source{};  // "engine" (seen on the Engine API), "agent", "api", "user" (a command)
  nlohmann::json details = nlohmann::json::object(); // figures behind the event (exit code, delay...)
};

nlohmann::json to_json(const Event& event);

// Reads an event; throws a config Error naming the missing or mistyped field.
Event event_from_json(const nlohmann::json& json);

// One line for people, like `docker events`:
// "2025-05-01T12:00:00.123Z web/one die (observed): exit code 137".
std::string format_event(const Event& event);

} // namespace dockerops::agent
