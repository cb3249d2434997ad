#include "cli/commands.hpp"
#include "cli/lifecycle.hpp"

namespace dockerops::cli {

// start:SERVICE|all[,instance=NAME][,group=G]: start stopped instances (the DNS first) and
// register them again.
int cmd_start(Context& context, const Arguments& args) {
  return run_lifecycle(context, args, core::Lifecycle::start);
}

} // namespace dockerops::cli
