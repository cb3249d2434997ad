#pragma once

#include "apply/executor.hpp"
#include "apply/reporter.hpp"
#include "core/project_state.hpp"
#include "plan/plan.hpp"

#include <optional>

namespace dockerops::core {

// How the core executes a plan: what every command shares.
struct ExecOptions {
  int jobs = 0;          // daemon-heavy operations at once; 0 = the default (32)
  int build_jobs = 0;    // builds at once; 0 = the default (2)
  int stop_timeout = 10; // seconds before SIGKILL
  bool verbose_builds = false;
  images::BuiltinOptions builtins;
  // Where DNS updates go; nullptr = the project's DNS, TSIG-signed with .dockerops/dns.key.
  apply::Registrar* registrar = nullptr;
};

// What a core entry point did: the plan, and the result when it was executed (not with dry_run).
struct Outcome {
  plan::Plan plan;
  std::optional<apply::ApplyResult> applied;
};

// Appends the plan's watch deliveries (plan::add_watch_notifications): every command that changes
// which instances run tells the instances watching them (docs/decisions.md 32).
void add_watches(plan::Plan& plan, const LoadedProject& loaded);

// Executes a plan: --jobs (default 32), DOCKEROPS_EXTRA_LABELS, DOCKEROPS_FAIL_AFTER_OPS
// (docs/decisions.md 25) and DNS registration with the project key when the plan has DNS
// operations. The plan's notices and warnings go to the reporter first.
apply::ApplyResult execute(engine::Engine& engine, const plan::Plan& plan, const LoadedProject& loaded,
                           const ExecOptions& options, apply::Reporter& reporter);

} // namespace dockerops::core
