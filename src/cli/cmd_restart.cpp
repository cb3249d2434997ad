#include "cli/commands.hpp"
#include "cli/lifecycle.hpp"

namespace dockerops::cli {

// restart:SERVICE|all[,instance=NAME][,group=G][,timeout=S]: stop (deregistering from the DNS),
// then start the same containers and register them again; the containers and their
// configuration are kept (run recreates a changed instance, restart does not).
int cmd_restart(Context& context, const Arguments& args) {
  return run_lifecycle(context, args, core::Lifecycle::restart);
}

} // namespace dockerops::cli
