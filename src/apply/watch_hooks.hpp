#pragma once

// How a watching container's hooks run (docs/decisions.md 32): one Engine exec as the container's
// `dockerops` user of a small POSIX sh runner that runs every executable file of
// /etc/dockerops/watch.d/ in byte order of their names, each with the call as JSON on stdin and
// under `timeout`, and stops at the first that fails. Pure: the exec spec and the reading of its
// output; apply/operations_watch.cpp makes the call.

#include "apply/watch_state.hpp"
#include "engine/types.hpp"

#include <string>
#include <utility>
#include <vector>

namespace dockerops::apply {

// Seconds one hook may run before it is stopped (SIGTERM, then SIGKILL 5 s later); a delivery
// never holds a command longer than its hooks' timeouts.
inline constexpr int k_watch_hook_timeout = 30;

// Lines of a failing hook's output kept for the report.
inline constexpr std::size_t k_watch_output_lines = 10;

// What the hooks are told.
struct WatchCall {
  std::string watcher;                                      // "lb/main"
  std::string service;                                      // the watched service
  std::string event;                                        // "ready", "change", "retry"
  std::vector<std::pair<std::string, std::string>> members; // (instance, address), by address
  std::vector<std::string> added, removed;                  // addresses, sorted
};

// The JSON on the hooks' stdin: {"watcher", "service", "event", "members": [addresses],
// "added", "removed", "instances": {"w1": "172.30.0.3", ...}}.
std::string watch_json(const WatchCall& call);

// The exec: the runner with the JSON as its argument; env WATCHED_SERVICE, MEMBERS, ADDED,
// REMOVED (space-separated addresses), MEMBER_INSTANCES ("w1=172.30.0.3 ..."), WATCH_EVENT.
engine::ExecSpec watch_exec_spec(const WatchCall& call, int timeout_seconds = k_watch_hook_timeout);

// The runner's exit code and output read back: nullopt when every hook succeeded (or there was
// none), else which hook failed, its exit code and last lines.
std::optional<WatchFailure> watch_failure(int exit_code, const std::string& output);

// "exited 3", "timed out after 30 s", "could not be run (126)" for a failure's exit code.
std::string describe_exit(int exit_code, int timeout_seconds = k_watch_hook_timeout);

} // namespace dockerops::apply
