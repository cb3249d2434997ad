#include "cli/run_options.hpp"

#include "cli/arguments.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"

namespace dockerops::cli {

core::ExecOptions exec_options(const Context& context, const Arguments& args) {
  core::ExecOptions exec;
  exec.jobs = context.options().jobs;
  if (auto timeout = args.get_int("timeout"))
    exec.stop_timeout = static_cast<int>(*timeout);
  return exec;
}

bool print_if_dry_run(const Context& context, const core::Outcome& outcome) {
  if (!context.options().dry_run)
    return false;
  print(outcome.plan.to_string());
  return true;
}

} // namespace dockerops::cli
