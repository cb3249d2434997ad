#include "cli/run_options.hpp"

#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "cli/terminal_reporter.hpp"

namespace dockerops::cli {

core::ExecOptions exec_options(const Context& context, const Arguments& args) {
  core::ExecOptions exec;
  exec.jobs = context.options().jobs;
  if (auto timeout = args.get_int("timeout"))
    exec.stop_timeout = static_cast<int>(*timeout);
  return exec;
}

std::unique_ptr<core::ProjectLock> lock_project(const Context& context, const std::filesystem::path& dir,
                                                const std::string& project, const std::string& command) {
  if (context.options().dry_run)
    return nullptr;
  return std::make_unique<core::ProjectLock>(
      dir, project, command, !context.options().no_wait, [&](const std::string& holder) {
        log::notice("project {} is busy: waiting for {} (--no-wait fails instead)", project, holder);
      });
}

std::unique_ptr<core::ProjectLock> lock_project(const Context& context, const core::LoadedProject& loaded,
                                                const Arguments& args) {
  std::string command = "dockerops " + args.command();
  if (auto service = args.get("service"))
    command += ":" + *service;
  return lock_project(context, loaded.project.dir, loaded.project.name, command);
}

bool print_if_dry_run(const Context& context, const core::Outcome& outcome) {
  if (!context.options().dry_run)
    return false;
  print(outcome.plan.to_string());
  return true;
}

std::optional<core::Outcome>
change_project(Context& context, const Arguments& args,
               const std::function<core::Outcome(core::LoadedProject&, apply::Reporter&)>& act) {
  core::LoadedProject loaded = load_project(context, args.get("conf"));
  auto lock = lock_project(context, loaded, args);
  TerminalReporter reporter;
  core::Outcome outcome = act(loaded, reporter);
  if (print_if_dry_run(context, outcome))
    return std::nullopt;
  return outcome;
}

} // namespace dockerops::cli
