#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "cli/run_options.hpp"
#include "cli/terminal_reporter.hpp"
#include "core/watch_sync.hpp"

#include <fmt/format.h>

namespace dockerops::cli {

// watch:sync tells every watcher the current members of what it watches, where they differ from
// what it was last told (docs/decisions.md 32): after a change no command made (an instance that
// crashed), or to retry a hook that failed, now. The agent does the same on its own.
int cmd_watch(Context& context, const Arguments& args) {
  std::string action = args.get_or("action", "sync");
  if (action != "sync")
    fail(ErrorKind::usage, "watch: unknown action \"{}\"{}", action, strings::did_you_mean(action, {"sync"}));
  core::LoadedProject loaded = load_project(context, std::nullopt);
  auto lock = lock_project(context, loaded, args);
  TerminalReporter reporter;
  core::Outcome outcome = core::watch_sync(context.engine(), loaded, exec_options(context, args), reporter,
                                           context.options().dry_run);
  if (print_if_dry_run(context, outcome))
    return 0;
  std::size_t failed = outcome.applied ? outcome.applied->watch_failures.size() : 0;
  print(fmt::format("watch:sync: {} deliver{}, {} failed\n", outcome.plan.operations.size(),
                    outcome.plan.operations.size() == 1 ? "y" : "ies", failed));
  return 0;
}

} // namespace dockerops::cli
