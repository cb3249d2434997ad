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
} // namespace dockerops::cli
