#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/dns_sync.hpp"
#include "cli/instances.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "dns/client.hpp"
#include "engine/engine.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dockerops::cli {
namespace {

constexpr const char* k_zone = "local.zone.";

} // namespace

// dns:sync makes the zone match the running instances (the DNS may have restarted and lost its
// records, or missed a stop); dns:show prints the addresses of every instance and service name.
int cmd_dns(Context& context, const Arguments& args) {
  std::string action = args.get_or("action", "sync");
  if (action != "sync" && action != "show")
    fail(ErrorKind::usage, "dns: unknown action \"{}\"{}", action,
         strings::did_you_mean(action, {"sync", "show"}));
  std::string project = project_name(context);
  engine::Engine& engine = context.engine();
  auto rows = list_instances(engine, project);
  std::string server;
  for (const auto& r : rows)
    if (r.service == "dockerops-dns" && r.container.state == "running")
      server = r.ip;
  if (server.empty())
    fail(ErrorKind::not_found, "dns:{}: project {} has no running dockerops-dns instance", action, project);
  auto key_file = apply::dns_key_path(std::filesystem::absolute(context.options().project_dir));
  dns::ClientOptions options;
  options.server_ip = server;
  dns::UpdateClient client(options, dns::read_key_file(key_file).front(), k_zone);

  std::vector<std::string> names;
  for (const auto& r : rows)
    if (r.service != "dockerops-dns") {
      names.push_back(r.service + "-" + r.instance + "." + k_zone);
      names.push_back(r.service + "." + k_zone);
    }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (action == "show") {
    Table table({"NAME", "ADDRESSES"});
    for (const auto& name : names) {
      auto addresses = client.query_addresses(name);
      table.add_row({name, strings::join({addresses.begin(), addresses.end()}, " ")});
    }
    print(table.render(context.color()));
    return 0;
  }
  DnsSyncResult synced = dns_sync(engine, project, std::filesystem::absolute(context.options().project_dir));
  print(fmt::format("dns:sync: {} running instance{} registered at {}, {} record{} changed\n",
                    synced.registered, synced.registered == 1 ? "" : "s", synced.server, synced.changes,
                    synced.changes == 1 ? "" : "s"));
  return 0;
}

} // namespace dockerops::cli
