#include "apply/observe.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "cli/run_options.hpp"
#include "core/dns_sync.hpp"

#include <fmt/format.h>

namespace dockerops::cli {

// dns:sync makes the zone match the running instances (the DNS may have restarted and lost its
// records, or missed a stop); dns:show prints what the DNS holds, read by zone transfer.
int cmd_dns(Context& context, const Arguments& args) {
  std::string action = args.get_or("action", "sync");
  if (action != "sync" && action != "show")
    fail(ErrorKind::usage, "dns: unknown action \"{}\"{}", action,
         strings::did_you_mean(action, {"sync", "show"}));
  std::string project = project_name(context);
  plan::ObservedState observed = apply::observe(context.engine(), project);
  std::string server = core::running_dns_address(observed);
  if (server.empty())
    fail(ErrorKind::not_found, "dns:{}: project {} has no running dockerops-dns instance", action, project);
  std::filesystem::path project_dir = std::filesystem::absolute(context.options().project_dir);
  if (action == "show") {
    print(core::dns_show(server, project_dir));
    return 0;
  }
  // dns:sync changes the zone: one command at a time per project (docs/decisions.md 34).
  auto lock = lock_project(context, project_dir, project, "dockerops dns:sync");
  observed = apply::observe(context.engine(), project);
  core::DnsSyncResult synced = core::dns_sync(context.engine(), project, observed, project_dir);
  print(fmt::format("dns:sync: {} running instance{} registered at {}, {} record{} changed\n",
                    synced.registered, synced.registered == 1 ? "" : "s", synced.server, synced.changes,
                    synced.changes == 1 ? "" : "s"));
  return 0;
}

} // namespace dockerops::cli
