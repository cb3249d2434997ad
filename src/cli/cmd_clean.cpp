#include "apply/observe.hpp"
#include "base/error.hpp"
#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/lifecycle.hpp"
#include "cli/output.hpp"
#include "cli/run_support.hpp"
#include "cli/terminal_prompt.hpp"

#include <fmt/format.h>

#include <set>
#include <unistd.h>

namespace dockerops::cli {

// clean:SERVICE|all[,instance=NAME][,group=G][,force=true][,remove_orphans=true]: deregister,
// stop and remove the project's containers (by label; data folders are kept). clean:all keeps
// containers that are not in the run conf unless remove_orphans (or the run conf is empty).
// Asks on a terminal; without one it refuses unless force=true (docs/decisions.md 21).
int cmd_clean(Context& context, const Arguments& args) {
  LoadedProject loaded = load_project(context, args.get("conf"));
  observe_into(context.engine(), loaded);
  plan::Filter filter = lifecycle_filter(args, loaded);
  plan::ObservedState observed = loaded.observed;
  if (filter.service == "all" && filter.group.empty() && !args.flag("remove_orphans") &&
      !loaded.conf.entries.empty()) {
    std::set<std::pair<std::string, std::string>> in_conf;
    for (const auto& e : loaded.conf.entries)
      if (e.instance)
        in_conf.emplace(e.service.value, e.instance->value);
    std::size_t before = observed.containers.size();
    std::erase_if(observed.containers, [&](const plan::ObservedContainer& c) {
      return !in_conf.count(
          {apply::label_of(c, project::k_label_service), apply::label_of(c, project::k_label_instance)});
    });
    if (std::size_t kept = before - observed.containers.size())
      log::notice("{} container{} not in {} kept (add remove_orphans=true to remove them too)", kept,
                  kept == 1 ? "" : "s", loaded.conf.filename);
  }
  plan::Plan plan = plan::plan_clean(loaded.project.name, observed, filter);
  if (context.options().dry_run) {
    print(plan.to_string());
    return 0;
  }
  int removals = 0;
  for (const auto& op : plan.operations)
    removals += op.kind == plan::OpKind::remove ? 1 : 0;
  if (removals > 0 && !args.flag("force")) {
    if (!isatty(STDIN_FILENO))
      fail(ErrorKind::usage,
           "clean: {} container{} would be removed; add force=true to do it without a terminal", removals,
           removals == 1 ? "" : "s");
    if (!confirm(fmt::format("Remove {} container{} of project {}?", removals, removals == 1 ? "" : "s",
                             loaded.project.name))) {
      print("clean: nothing removed\n");
      return 1;
    }
  }
  print_notices(plan);
  execute(context, plan, loaded, "");
  remove_network_if_unused(context, loaded.project.name);
  return 0;
}

} // namespace dockerops::cli
