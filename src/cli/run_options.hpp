#pragma once

#include "core/execute.hpp"
#include "core/project_lock.hpp"

#include <functional>
#include <memory>
#include <optional>

namespace dockerops::cli {

class Arguments;
class Context;

// The execution options every changing command shares: --jobs, timeout= (stops), -v builds.
core::ExecOptions exec_options(const Context& context, const Arguments& args);

// The project lock of a command that changes the project (docs/decisions.md 34), or nullptr with
// --dry-run: waits for another command, saying so, or fails at once with --no-wait.
std::unique_ptr<core::ProjectLock> lock_project(const Context& context, const core::LoadedProject& loaded,
                                                const Arguments& args);

// The same for a project known by folder and name; `command` is what the holder is shown as.
std::unique_ptr<core::ProjectLock> lock_project(const Context& context, const std::filesystem::path& dir,
                                                const std::string& project, const std::string& command);

// Prints an Outcome's plan (--dry-run) and returns true, else returns false.
bool print_if_dry_run(const Context& context, const core::Outcome& outcome);

// What run and scale share once their options are parsed: loads the project (conf=), takes its
// lock and calls `act` with a terminal reporter. With --dry-run prints the plan and returns nullopt.
std::optional<core::Outcome>
change_project(Context& context, const Arguments& args,
               const std::function<core::Outcome(core::LoadedProject&, apply::Reporter&)>& act);

} // namespace dockerops::cli
