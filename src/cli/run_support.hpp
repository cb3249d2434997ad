#pragma once

#include <optional>

#include "apply/executor.hpp"
#include "cli/project_loader.hpp"
#include "plan/plan.hpp"
#include "project/model.hpp"

#include <memory>

namespace dockerops::cli {

class Context;

// Builds the images of the resolved instances that do not exist yet (service images with their
// project-local parents, the built-in dockerops/dns), so `run:` needs no explicit build.
// Returns true when something was built (then resolve again: image IDs are in the hash).
bool build_missing_images(Context& context, const LoadedProject& loaded,
                          const project::ResolvedProject& resolved);

// Prints the resolver's and planner's notices and warnings.
void print_notices(const plan::Plan& plan);

// After planning (run, rerun, stop, start, restart): --dry-run prints the plan and returns
// nullopt; otherwise the plan's notices are printed and it is executed (see execute).
std::optional<apply::ApplyResult> apply_or_print(Context& context, const plan::Plan& plan,
                                                 const LoadedProject& loaded, std::string dns_server = "",
                                                 int stop_timeout = 10);

// The pinned address of the resolved project's DNS instance, or "" when it has none.
std::string planned_dns_server(const project::ResolvedProject& resolved);

// Executes a plan with the options every lifecycle command shares: --jobs (default 4),
// DOCKEROPS_EXTRA_LABELS, DOCKEROPS_FAIL_AFTER_OPS, and DNS registration when the project has a
// DNS (its address from `dns_server`, else observed).
apply::ApplyResult execute(Context& context, const plan::Plan& plan, const LoadedProject& loaded,
                           std::string dns_server, int stop_timeout = 10);

// The observed address of the project's running dockerops-dns container, or "".
std::string observed_dns_server(const LoadedProject& loaded);

} // namespace dockerops::cli
