#include "cli/commands.hpp"
#include "cli/lifecycle.hpp"

namespace dockerops::cli {

// stop:SERVICE|all[,instance=NAME][,group=G][,timeout=S]: deregister from the DNS, then stop
// (SIGTERM, SIGKILL after the timeout); the containers are kept.
int cmd_stop(Context& context, const Arguments& args) {
  return run_lifecycle(context, args, core::Lifecycle::stop);
}

} // namespace dockerops::cli
