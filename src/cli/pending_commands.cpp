// Commands being built by other work in progress; each moves to its own
// cmd_<name>.cpp. This file must be gone before a release.
#include "base/error.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"

namespace dockerops::cli {
#define DOCKEROPS_PENDING(name)                                                                              \
  int cmd_##name(Context&, const Arguments&) {                                                               \
    fail(ErrorKind::internal, #name ": not available in this build");                                        \
  }
DOCKEROPS_PENDING(rerun)
DOCKEROPS_PENDING(start)
DOCKEROPS_PENDING(stop)
DOCKEROPS_PENDING(clean)
DOCKEROPS_PENDING(info)
DOCKEROPS_PENDING(logs)
DOCKEROPS_PENDING(ssh)
DOCKEROPS_PENDING(shell)
DOCKEROPS_PENDING(install_demo)
DOCKEROPS_PENDING(dns)
} // namespace dockerops::cli
