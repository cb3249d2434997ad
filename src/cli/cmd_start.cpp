#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/lifecycle.hpp"

namespace dockerops::cli {

// start:SERVICE|all[,instance=NAME][,group=G]: start stopped instances (the DNS first) and
// register them again.
int cmd_start(Context& context, const Arguments& args) {
  LoadedProject loaded = load_project(context, std::nullopt);
  observe_into(context.engine(), loaded);
  plan::Plan plan = plan::plan_start(loaded.project.name, loaded.observed, lifecycle_filter(args, loaded));
  return run_simple_plan(context, plan, loaded);
}

} // namespace dockerops::cli
