#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/dns_sync.hpp"
#include "cli/instances.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "dns/client/update_client.hpp"
#include "dns/proto/record_text.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"

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
  engine::Engine& engine = context.engine();
  auto rows = list_instances(engine, project);
  std::string server = running_dns_address(rows);
  if (server.empty())
    fail(ErrorKind::not_found, "dns:{}: project {} has no running dockerops-dns instance", action, project);
  std::filesystem::path project_dir = std::filesystem::absolute(context.options().project_dir);
  if (action == "show") {
    // What the DNS really holds (a signed AXFR of both zones), stale records included: the
    // zone-file lines of the project zone, then of the project network's reverse zone.
    dns::UpdateClient client = project_dns_client(server, project_dir);
    std::string text;
    for (const std::string& zone : {std::string(project::k_zone) + ".", dns::reverse_zone_24(server)}) {
      text += fmt::format("; {} (from {})\n", zone, server);
      for (const dns::Record& rr : client.transfer(zone))
        text += dns::record_to_text(rr) + "\n";
    }
    print(text);
    return 0;
  }
  DnsSyncResult synced = dns_sync(engine, rows, project_dir);
  print(fmt::format("dns:sync: {} running instance{} registered at {}, {} record{} changed\n",
                    synced.registered, synced.registered == 1 ? "" : "s", synced.server, synced.changes,
                    synced.changes == 1 ? "" : "s"));
  return 0;
}

} // namespace dockerops::cli
