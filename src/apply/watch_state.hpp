#pragma once

// The record of watch deliveries (docs/decisions.md 32): one JSON file per watching instance,
// <project>/.dockerops/watch/<service>/<instance>.json, replaced atomically after each delivery.
// It says which container was told what, so that a plan sees what changed since (and a new
// container of the instance starts afresh), and counts the failed attempts since the last success.

#include "plan/observed.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dockerops::apply {

// <project>/.dockerops/watch
std::filesystem::path watch_state_dir(const std::filesystem::path& project_dir);

// Every record under `state_dir`, by "service/instance"; a file that does not parse is left out
// (the watcher then gets a fresh delivery, which is always safe).
std::map<std::string, plan::ObservedWatcher> read_watch_state(const std::filesystem::path& state_dir);

// How a delivery failed: the hook, its exit code and its last lines of output.
struct WatchFailure {
  std::string hook; // file name in /etc/dockerops/watch.d, "" when no hook ran (exec failed)
  int exit_code = -1;
  std::vector<std::string> output;
};

// Records that `container` (of watcher service/instance) was told `members` of `service`.
void record_watch_delivery(const std::filesystem::path& state_dir, const std::string& watcher_service,
                           const std::string& watcher_instance, const std::string& container,
                           const std::string& service, const std::vector<std::string>& members);

// Records one more failed attempt to tell `container` about `service` (what it was last told stays).
void record_watch_failure(const std::filesystem::path& state_dir, const std::string& watcher_service,
                          const std::string& watcher_instance, const std::string& container,
                          const std::string& service, const WatchFailure& failure);

} // namespace dockerops::apply
