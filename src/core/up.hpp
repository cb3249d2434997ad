#pragma once

// "Make the project look like this": the entry point of run and rerun, and of anything else that
// wants the project up (a resident agent calls this, never the CLI). It observes, resolves once,
// plans the builds and the runs in one plan, executes it and reports through a Reporter.

#include "core/execute.hpp"
#include "plan/planner.hpp"
#include "project/resolve.hpp"

#include <optional>
#include <string>

namespace dockerops::core {

// What up() is asked for.
struct UpOptions {
  project::Selection selection;
  project::Overrides overrides; // the command-line switches of run (docs/compatibility.md §precedence)
  bool remove_orphans = false;  // remove project containers that are not in the resolved project
  bool force_recreate = false;  // rerun: recreate even when up to date
  bool skip_sleep = false;      // rerun skips run.conf sleeps (docs/compatibility.md §rerun)
  bool no_wait = false;         // wait=false: no readiness waits
  std::string command = "run";  // shown in the plan header
  bool dry_run = false;         // plan only: the Outcome has no `applied`
  ExecOptions exec;
};

// Observes `loaded` on the daemon (containers, networks, images, project files, and the zone of a
// running DNS), resolves the selection once, plans (missing project files and images first, then
// network, DNS, instances, and the registrations the zone lacks; plan::plan_up) and, unless dry_run,
// executes the plan.
Outcome up(engine::Engine& engine, LoadedProject& loaded, const UpOptions& options,
           apply::Reporter& reporter);

// up() on a swarm (docs/decisions.md 33; swarm_up.cpp): observes the services, tasks and nodes
// through the manager, resolves as on one host (every task's resolver is its own node's DNS,
// ObservedSwarm::nameserver), plans with plan::plan_swarm_up (registry: host.conf "registry") and
// executes the plan with the same executor.
Outcome swarm_up(engine::Engine& engine, LoadedProject& loaded, const UpOptions& options,
                 apply::Reporter& reporter);

// What up() and swarm_up() share once `loaded` is observed: the selection resolved with the
// options' overrides, no_wait and skip_sleep applied, and the plan's run options.
project::ResolvedProject resolve_for_up(const LoadedProject& loaded, const UpOptions& options);
plan::RunOptions run_options(const LoadedProject& loaded, const UpOptions& options);

} // namespace dockerops::core
