#pragma once

// The payload of a watch-notify operation (docs/decisions.md 32): what one watching instance's
// hooks are told about one watched service once the plan's membership changes are done.

#include <string>
#include <vector>

namespace dockerops::plan {

// One running instance of the watched service, as the watcher's hooks see it.
struct WatchMember {
  std::string instance;  // "w1"
  std::string container; // its container name
  // Its address on the project network; "" when only known once the container runs (a stopped
  // container that the plan starts: the executor reads it then).
  std::string address;
};

// Why the hooks run.
enum class WatchReason {
  ready,  // the watching instance is new (or started): hooks render from the current members
  change, // members came or went since the last delivery
  retry,  // the last delivery failed; the members are the current ones
};

// "ready", "change", "retry": WATCH_EVENT and the JSON's "event".
const char* to_string(WatchReason reason);

// One delivery: the hooks of `watcher` run with these members.
struct WatchNotice {
  std::string watcher;                // "lb/main"
  std::string watcher_service;        // "lb"
  std::string watcher_instance;       // "main"
  std::string service;                // the watched service
  std::vector<WatchMember> members;   // after the plan, by address (pending addresses last)
  std::vector<std::string> delivered; // what the watcher was last told (sorted); empty on ready
  WatchReason reason = WatchReason::change;
  std::string state_dir; // <project>/.dockerops/watch: where the delivery is recorded
};

} // namespace dockerops::plan
