#include "cli/commands.hpp"
#include "cli/lifecycle.hpp"

namespace dockerops::cli {

// clean:SERVICE|all[,instance=NAME][,group=G][,force=true][,remove_orphans=true]: deregister,
// stop and remove the project's containers (by label; data folders are kept). clean:all keeps
// containers that are not in the run conf unless remove_orphans (or the run conf is empty).
// Asks on a terminal; without one it refuses unless force=true (docs/decisions.md 21).
int cmd_clean(Context& context, const Arguments& args) {
  return run_lifecycle(context, args, core::Lifecycle::clean);
}

} // namespace dockerops::cli
