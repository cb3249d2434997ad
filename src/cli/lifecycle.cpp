#include "cli/lifecycle.hpp"

#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "cli/run_options.hpp"
#include "cli/terminal_prompt.hpp"
#include "cli/terminal_reporter.hpp"

#include <fmt/format.h>

#include <unistd.h>

namespace dockerops::cli {

namespace {

// clean removes containers: it asks on a terminal, and without one refuses unless force=true
// (docs/decisions.md 21).
bool approve_clean(const Arguments& args, const plan::Plan& plan) {
  int removals = 0;
  for (const auto& op : plan.operations)
    removals += op.kind == plan::OpKind::remove || op.kind == plan::OpKind::remove_service ? 1 : 0;
  if (removals == 0 || args.flag("force"))
    return true;
  if (!isatty(STDIN_FILENO))
    fail(ErrorKind::usage, "clean: {} {}{} would be removed; add force=true to do it without a terminal",
         removals, plan.swarm ? "service" : "container", removals == 1 ? "" : "s");
  return confirm(fmt::format("Remove {} {}{} of project {}?", removals, plan.swarm ? "service" : "container",
                             removals == 1 ? "" : "s", plan.project));
}

} // namespace

int run_lifecycle(Context& context, const Arguments& args, core::Lifecycle action) {
  bool clean = action == core::Lifecycle::clean;
  core::LoadedProject loaded = load_project(context, clean ? args.get("conf") : std::nullopt);
  auto lock = lock_project(context, loaded, args);
  core::observe(context.engine(), loaded, false);
  plan::Filter filter = core::make_filter(loaded, args.command(), args.get_or("service", ""),
                                          args.get_or("instance", ""), args.get_or("group", ""));
  core::LifecycleOptions options;
  options.dry_run = context.options().dry_run;
  options.remove_orphans = args.flag("remove_orphans");
  options.graceful = args.flag("graceful");
  options.exec = exec_options(context, args);
  if (clean)
    options.approve = [&](const plan::Plan& plan) { return approve_clean(args, plan); };
  TerminalReporter reporter;
  core::LifecycleOutcome outcome =
      core::lifecycle(context.engine(), loaded, action, filter, options, reporter);
  if (print_if_dry_run(context, outcome))
    return 0;
  if (!outcome.approved) {
    print("clean: nothing removed\n");
    return 1;
  }
  return 0;
}

} // namespace dockerops::cli
