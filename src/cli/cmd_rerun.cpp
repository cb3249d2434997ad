#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/instances.hpp"
#include "cli/project_loader.hpp"
#include "cli/run_options.hpp"
#include "cli/terminal_reporter.hpp"
#include "core/up.hpp"
#include "project/model.hpp"

#include <filesystem>

namespace dockerops::cli {

// rerun:SERVICE[,instance=NAME]: recreate one instance with the run conf it was started with
// (label dockerops.conf) and its instance type, whatever its state.
int cmd_rerun(Context& context, const Arguments& args) {
  std::string project = project_name(context);
  InstanceRow row = one_instance(context.engine(), project, "rerun", args.get("service"),
                                 args.get("instance"), on_swarm(context));
  auto conf = args.get("conf");
  if (!conf) {
    auto it = row.container.labels.find(std::string(project::k_label_conf));
    // A conf that no longer exists (or never did: run without a run.conf) means the defaults.
    if (it != row.container.labels.end() && !it->second.empty() &&
        std::filesystem::exists(std::filesystem::absolute(context.options().project_dir) / it->second))
      conf = it->second;
  }
  core::UpOptions options;
  options.selection.service = row.service;
  options.selection.instance = row.instance;
  if (!row.type.empty())
    options.overrides.instance_type = row.type;
  options.force_recreate = true;
  options.skip_sleep = true; // docs/compatibility.md §rerun: rerun skips the sleep
  options.command = "rerun";
  options.dry_run = context.options().dry_run;
  options.exec = exec_options(context, args);

  core::LoadedProject loaded = load_project(context, conf);
  auto lock = lock_project(context, loaded, args);
  TerminalReporter reporter;
  core::Outcome outcome = core::up(context.engine(), loaded, options, reporter);
  if (print_if_dry_run(context, outcome))
    return 0;
  return outcome.applied->interactive ? outcome.applied->interactive_exit : 0;
}

} // namespace dockerops::cli
