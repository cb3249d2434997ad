#include "base/error.hpp"
#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/dns_sync.hpp"
#include "cli/instances.hpp"
#include "cli/output.hpp"
#include "cli/run_support.hpp"
#include "engine/engine.hpp"
#include "plan/planner.hpp"
#include "project/model.hpp"
#include "project/resolve.hpp"

#include <filesystem>

namespace dockerops::cli {

// rerun:SERVICE[,instance=NAME]: recreate one instance with the run conf it was started with
// (label dockerops.conf) and its instance type, whatever its state.
int cmd_rerun(Context& context, const Arguments& args) {
  std::string project = project_name(context);
  engine::Engine& engine = context.engine();
  InstanceRow row = one_instance(engine, project, "rerun", args.get("service"), args.get("instance"));
  auto conf = args.get("conf");
  if (!conf) {
    auto it = row.container.labels.find(std::string(project::k_label_conf));
    // A conf that no longer exists (or never did: run without a run.conf) means the defaults.
    if (it != row.container.labels.end() && !it->second.empty() &&
        std::filesystem::exists(std::filesystem::absolute(context.options().project_dir) / it->second))
      conf = it->second;
  }
  LoadedProject loaded = load_project(context, conf);
  observe_into(engine, loaded);
  auto make_input = [&] {
    project::ResolveInput input = resolve_input(engine, loaded);
    input.selection.service = row.service;
    input.selection.instance = row.instance;
    if (!row.type.empty())
      input.overrides.instance_type = row.type;
    return input;
  };
  project::ResolvedProject resolved = project::resolve(make_input());
  if (!context.options().dry_run && build_missing_images(context, loaded, resolved))
    resolved = project::resolve(make_input());
  for (auto& r : resolved.instances)
    r.sleep = 0; // docs/compatibility.md §rerun: rerun skips the sleep
  plan::RunOptions options;
  options.subnet = loaded.subnet;
  options.force_recreate = true;
  options.command = "rerun";
  plan::Plan plan = plan::plan_run(resolved, loaded.observed, options);
  std::optional<apply::ApplyResult> applied =
      apply_or_print(context, plan, loaded, planned_dns_server(resolved));
  if (!applied)
    return 0;
  const apply::ApplyResult& result = *applied;
  if (row.service == "dockerops-dns")
    resync_new_dns(engine, loaded.project.name, loaded.project.dir);
  return result.interactive ? result.interactive_exit : 0;
}

} // namespace dockerops::cli
