#include "base/build_info.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "engine/engine.hpp"

#include <fmt/format.h>

namespace dockerops::cli {

// Prints our version (and git revision when built from a checkout), then the
// daemon's version and the negotiated API version. Without a daemon it fails
// with the engine's one-line "cannot reach" error after printing our part.
int cmd_version(Context& context, const Arguments&) {
  std::string revision = build_info::k_git_revision;
  if (!context.options().json) {
    print(fmt::format("dockerops {}{}\n", build_info::k_version,
                      revision.empty() ? "" : " (git " + revision + ")"));
  }
  engine::Engine& engine = context.engine();
  engine::VersionInfo server = engine.version();
  if (context.options().json) {
    print_json({{"version", build_info::k_version},
                {"git_revision", revision},
                {"docker",
                 {{"host", engine.host()},
                  {"server_version", server.server_version},
                  {"api_version", engine.api_version()},
                  {"server_api_version", server.api_version},
                  {"os", server.os},
                  {"arch", server.arch}}}});
    return 0;
  }
  print(fmt::format("docker {} at {} (API {}, server max {})\n", server.server_version, engine.host(),
                    engine.api_version(), server.api_version));
  return 0;
}

} // namespace dockerops::cli
