#include "apply/extra_labels.hpp"
#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "images/build_services.hpp"
#include "plan/planner.hpp"

#include <fmt/format.h>

namespace dockerops::cli {

// build:SERVICE|all: the planner orders the services by their FROM chains
// (project-local parents first, cycles are an error); the images module
// builds them, independent ones in parallel, after making the built-ins.
int cmd_build(Context& context, const Arguments& args) {
  LoadedProject loaded = load_project(context, std::nullopt);
  std::string service = args.get_or("service", "all");
  std::vector<std::string> services;
  if (service != "all")
    services.push_back(service);
  bool nocache = args.flag("nocache");
  plan::Plan plan = plan::plan_build(loaded.project, services, nocache);
  if (context.options().dry_run) {
    print(plan.to_string());
    return 0;
  }
  images::BuildRequest request;
  request.project = loaded.project.name;
  request.no_cache = nocache;
  request.verbose = args.flag("verbose");
  request.jobs = context.options().jobs > 0 ? context.options().jobs : 2;
  request.labels = apply::extra_labels();
  request.builtins.no_cache = nocache;
  request.builtins.verbose = request.verbose;
  for (const auto& op : plan.operations) {
    if (op.kind != plan::OpKind::build_image)
      continue;
    std::vector<std::string> after;
    for (int id : op.after)
      if (plan.op(id).kind == plan::OpKind::build_image)
        after.push_back(plan.op(id).service);
    request.services.push_back({op.service, op.context_dir, after});
  }
  for (const auto& built : images::build_services(context.engine(), request)) {
    std::string cache = built.result.steps > 0 && built.result.cached_steps == built.result.steps
                            ? " (all steps cached)"
                            : "";
    log::info("built {} {}{}", built.tag, built.result.image_id.substr(0, 19), cache);
  }
  return 0;
}

} // namespace dockerops::cli
