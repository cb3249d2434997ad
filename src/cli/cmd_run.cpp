#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/run_options.hpp"
#include "core/up.hpp"

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

// run:SERVICE[,instance=...] or run:all[,group=...]: core::up, then the plan (--dry-run) or the summary.
int cmd_run(Context& context, const Arguments& args) {
  core::UpOptions options;
  options.selection.service = args.get_or("service", args.has("group") ? "all" : "");
  if (options.selection.service.empty())
    fail(ErrorKind::usage, "run: name a service (run:SERVICE) or run:all");
  options.selection.instance = args.get("instance");
  options.selection.group = args.get_or("group", "");
  if (options.selection.service == "all" && (args.has("interactive") || args.has("instance")))
    fail(ErrorKind::usage, "run:all: interactive and instance apply to a single service (run:SERVICE,...)");
  options.overrides = overrides_from(args);
  options.remove_orphans = args.flag("remove_orphans");
  options.no_wait = args.get_bool("wait") == false;
  options.dry_run = context.options().dry_run;
  options.exec = exec_options(context, args);

  auto outcome = change_project(context, args, [&](core::LoadedProject& loaded, apply::Reporter& reporter) {
    return core::up(context.engine(), loaded, options, reporter);
  });
  if (!outcome)
    return 0;
  if (outcome->applied->interactive)
    return outcome->applied->interactive_exit;
  if (!context.options().quiet)
    print(outcome->plan.summary());
  return 0;
}

} // namespace dockerops::cli
