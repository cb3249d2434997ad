#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/run_options.hpp"
#include "core/scale.hpp"

namespace dockerops::cli {

// scale:SERVICE=N (or scale SERVICE N, scale:SERVICE,instances=N): core::scale, then the plan
// (--dry-run) or the summary.
int cmd_scale(Context& context, const Arguments& args) {
  core::ScaleOptions options;
  options.service = args.get_or("service", "");
  if (options.service.empty() || !args.has("instances"))
    fail(ErrorKind::usage, "scale: say how many: scale:SERVICE=N (or scale SERVICE N)");
  long count = *args.get_int("instances");
  options.instances = count < 0 || count > 100000 ? 0 : static_cast<int>(count);
  options.prefix = args.get("instance");
  options.no_wait = args.get_bool("wait") == false;
  options.dry_run = context.options().dry_run;
  options.exec = exec_options(context, args);

  auto outcome = change_project(context, args, [&](core::LoadedProject& loaded, apply::Reporter& reporter) {
    return core::scale(context.engine(), loaded, options, reporter);
  });
  if (outcome && !context.options().quiet)
    print(outcome->plan.summary());
  return 0;
}

} // namespace dockerops::cli
