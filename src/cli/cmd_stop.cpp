#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/lifecycle.hpp"

namespace dockerops::cli {

// stop:SERVICE|all[,instance=NAME][,group=G][,timeout=S]: deregister from the DNS, then stop
// (SIGTERM, SIGKILL after the timeout); the containers are kept.
int cmd_stop(Context& context, const Arguments& args) {
  LoadedProject loaded = load_project(context, std::nullopt);
  observe_into(context.engine(), loaded);
  plan::Plan plan = plan::plan_stop(loaded.project.name, loaded.observed, lifecycle_filter(args, loaded));
  return run_simple_plan(context, plan, loaded, static_cast<int>(args.get_int("timeout").value_or(10)));
}

} // namespace dockerops::cli
