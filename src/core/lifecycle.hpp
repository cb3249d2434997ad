#pragma once

// stop, start, restart and clean of observed containers: the core entry points behind those
// commands (and whatever else stops or removes instances).

#include "core/execute.hpp"
#include "plan/planner.hpp"

#include <functional>
#include <string>

namespace dockerops::core {

// The planner's filter for stop / start / clean from SERVICE, instance and group (a group's members
// come from the run conf entries that name it). A service that has no folder, no run conf entry and
// no container is a config Error with "did you mean"; `command` starts the messages.
plan::Filter make_filter(const LoadedProject& loaded, const std::string& command, const std::string& service,
                         const std::string& instance, const std::string& group);

enum class Lifecycle { stop, start, restart, clean };

// "stop", "start", "restart", "clean".
std::string_view lifecycle_name(Lifecycle action);

// How a lifecycle command runs.
struct LifecycleOptions {
  bool dry_run = false;
  bool remove_orphans = false; // clean:all: also containers that are not in the run conf
  // stop, clean: each running instance leaves the DNS, then drains (its run.conf "drain", else the
  // records' TTL) before it stops, so that clients and load balancers stop sending to it first.
  bool graceful = false;
  // Asked before a clean removes anything (not with dry_run); false leaves everything as it was.
  std::function<bool(const plan::Plan&)> approve;
  ExecOptions exec;
  std::string by{}; // who asks, for the intent record (docs/decisions.md 35); "" = the action's name
};

// What a lifecycle command did; `approved` is false when `approve` said no.
struct LifecycleOutcome : Outcome {
  bool approved = true;
};

// The plan of a lifecycle action on a swarm (plan::plan_swarm_lifecycle; swarm_up.cpp), `loaded`
// observed already.
plan::Plan swarm_lifecycle_plan(const LoadedProject& loaded, Lifecycle action, const plan::Filter& filter);

// Observes `loaded` (unless already observed by make_filter's caller), plans the action on the
// containers the filter selects (on a swarm: services, swarm_lifecycle_plan) and, unless dry_run,
// executes it. clean:all keeps containers that are
// not in the run conf unless remove_orphans (or the run conf is empty; each kept one is a keep
// operation), and removes the project network when no container is left (a remove-network operation).

LifecycleOutcome lifecycle(engine::Engine& engine, LoadedProject& loaded, Lifecycle action,
                           const plan::Filter& filter, const LifecycleOptions& options,
                           apply::Reporter& reporter);

} // namespace dockerops::core
