#include "apply/extra_labels.hpp"
#include "base/error.hpp"
#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/dns_sync.hpp"
#include "cli/output.hpp"
#include "cli/run_support.hpp"
#include "engine/engine.hpp"
#include "plan/planner.hpp"
#include "project/resolve.hpp"

#include <fmt/format.h>

namespace dockerops::cli {
namespace {

// The command-line switches of run (docs/compatibility.md §precedence: they win over run.conf and the type).
project::Overrides overrides_from(const Arguments& args) {
  project::Overrides o;
  o.instance_type = args.get("instance_type");
  o.publish_ports = args.get_bool("publish_ports");
  o.persistent_data = args.get_bool("persistent_data");
  o.persistent_opt = args.get_bool("persistent_opt");
  o.persistent_log = args.get_bool("persistent_log");
  o.linked = args.get_bool("linked");
  o.safemode = args.get_bool("safemode");
  o.interactive = args.get_bool("interactive");
  o.nethost = args.get_bool("nethost");
  o.seed_command = args.get("seed_command");
  return o;
}

} // namespace

// run:SERVICE[,instance=...] or run:all[,group=...]: observe, resolve, build what is missing,
// plan, then execute (or print the plan with --dry-run).
int cmd_run(Context& context, const Arguments& args) {
  project::Selection selection;
  selection.service = args.get_or("service", args.has("group") ? "all" : "");
  if (selection.service.empty())
    fail(ErrorKind::usage, "run: name a service (run:SERVICE) or run:all");
  selection.instance = args.get("instance");
  selection.group = args.get_or("group", "");
  if (selection.service == "all" && (args.has("interactive") || args.has("instance")))
    fail(ErrorKind::usage, "run:all: interactive and instance apply to a single service (run:SERVICE,...)");

  LoadedProject loaded = load_project(context, args.get("conf"));
  engine::Engine& engine = context.engine();
  if (!engine.is_local() && !context.options().dry_run)
    fail(ErrorKind::usage,
         "run: needs a local daemon (DOCKER_HOST is {}): instances bind-mount files of the project",
         engine.host());
  observe_into(engine, loaded);
  project::ResolveInput input = resolve_input(engine, loaded);
  input.selection = selection;
  input.overrides = overrides_from(args);
  project::ResolvedProject resolved = project::resolve(input);
  if (!context.options().dry_run && build_missing_images(context, loaded, resolved)) {
    input = resolve_input(engine, loaded);
    input.selection = selection;
    input.overrides = overrides_from(args);
    resolved = project::resolve(input);
  }
  if (args.get_bool("wait") == false)
    for (auto& r : resolved.instances)
      r.wait = false;

  plan::RunOptions options;
  options.subnet = loaded.subnet;
  options.remove_orphans = args.flag("remove_orphans");
  plan::Plan plan = plan::plan_run(resolved, loaded.observed, options);
  std::optional<apply::ApplyResult> applied =
      apply_or_print(context, plan, loaded, planned_dns_server(resolved));
  if (!applied)
    return 0;
  const apply::ApplyResult& result = *applied;
  if (result.interactive)
    return result.interactive_exit;
  // A new DNS container starts with an empty zone: register the instances it did not see start.
  bool dns_new = false, kept = false;
  for (const auto& op : plan.operations) {
    bool started = op.kind == plan::OpKind::create || op.kind == plan::OpKind::recreate ||
                   op.kind == plan::OpKind::replace;
    dns_new = dns_new || (started && op.instance && op.instance->is_dns);
    kept = kept || op.kind == plan::OpKind::keep;
  }
  if (dns_new && (kept || selection.service != "all"))
    resync_new_dns(engine, loaded.project.name, loaded.project.dir);
  if (!context.options().quiet)
    print(plan.summary());
  return 0;
}

} // namespace dockerops::cli
