#include "base/log.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "cli/run_options.hpp"
#include "cli/terminal_reporter.hpp"
#include "core/build.hpp"

namespace dockerops::cli {

// build:SERVICE|all: core::build (FROM chains ordered by the planner, independent builds in
// parallel), then one line per image built.
int cmd_build(Context& context, const Arguments& args) {
  core::LoadedProject loaded = load_project(context, std::nullopt);
  core::BuildOptions options;
  if (std::string service = args.get_or("service", "all"); service != "all")
    options.services.push_back(service);
  options.no_cache = args.flag("nocache");
  options.exec = exec_options(context, args);
  options.exec.build_jobs = context.options().jobs;
  options.exec.verbose_builds = args.flag("verbose");
  if (context.options().dry_run) {
    print(core::build_plan(loaded, options).to_string());
    return 0;
  }
  auto lock = lock_project(context, loaded, args);
  TerminalReporter reporter;
  core::Outcome outcome = core::build(context.engine(), loaded, options, reporter);
  for (const auto& built : outcome.applied->built) {
    std::string cache = built.result.steps > 0 && built.result.cached_steps == built.result.steps
                            ? " (all steps cached)"
                            : "";
    log::info("built {} {}{}", built.tag, built.result.image_id.substr(0, 19), cache);
  }
  return 0;
}

} // namespace dockerops::cli
