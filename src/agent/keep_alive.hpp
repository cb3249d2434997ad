#pragma once

#include "agent/backoff.hpp"
#include "agent/dns_view.hpp"
#include "agent/observer.hpp"
#include "core/intent.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dockerops::agent {

// What the agent decides to do about one instance (or the project's DNS).
enum class ActionKind {
  start,      // its container exited: start it again (core start: same container, same hash)
  create,     // its container is gone: create it again (core up with the recorded conf and switches)
  dns_sync,   // records of running instances are missing from the zone, or stale ones are left
  backoff,    // it keeps failing: the next attempt waits (reported, then acted on when due)
  restart,    // asked through the API: stop and start it (core restart)
  watch_sync, // members of watched services changed without a command: tell the watchers (core watch_sync)
  scale,      // the autoscaler's decision: a counted entry (`instance` = its prefix) to `count` (core scale)
};

std::string_view to_string(ActionKind kind);

struct Action {
  ActionKind kind = ActionKind::start;
  std::string service{};
  std::string instance{};
  std::string reason{};  // for people and the event log
  std::string restart{}; // the policy that asks for it
  unsigned failures = 0; // failures in a row so far
  int count = 0;         // scale: the entry's new count
  Clock::time_point not_before{};
  core::InstanceIntent intent{}; // what create resolves with

  // "service/instance", "dns" for the project's zone, "watch" for the watchers.
  std::string key() const;
};

// Everything one reconcile pass decides from: observed state, the user's wishes, the zone.
struct KeepAliveInput {
  std::vector<ObservedInstance> observed{};
  core::Intents intents{};
  DnsView dns{};
  std::string zone{};
  Clock::time_point now{};
  std::int64_t now_millis = 0;  // the wall clock (containers' start times are wall-clock times)
  std::set<std::string> busy{}; // keys an action is running for
};

// The decisions of one pass.
struct KeepAlivePlan {
  std::vector<Action> actions{};
  std::optional<Clock::time_point> next_check{}; // when a backed-off instance becomes due
};

// Compares what runs with what should (level-triggered: it looks at state, never at events) and
// decides, for each instance whose intent is "running" (or unknown but with a container) and whose
// restart policy asks for it: start an exited container (on-failure: a non-zero exit code only),
// create a removed one, or wait for its back-off; a crash is counted once in `loops` (by container and
// finish time). Instances a command stopped or removed are never touched, nor the agent itself.
// When nothing else is going on, running instances whose records are missing from the zone (or
// stale records) ask for one dns-sync. Pure apart from `loops`.
KeepAlivePlan plan_keep_alive(const KeepAliveInput& input, CrashLoops& loops);

} // namespace dockerops::agent
