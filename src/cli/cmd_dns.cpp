#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/strings.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/instances.hpp"
#include "cli/output.hpp"
#include "cli/project_loader.hpp"
#include "dns/client.hpp"
#include "engine/engine.hpp"

#include <fmt/format.h>

#include <set>

namespace dockerops::cli {
namespace {

constexpr const char* k_zone = "local.zone.";

dns::RegistrationPolicy policy_of(const engine::ContainerInfo& info) {
  for (const auto& kv : info.env)
    if (kv.rfind("DNS_UPDATE_POLICY=", 0) == 0)
      return dns::parse_registration_policy(kv.substr(18));
  return dns::RegistrationPolicy::append;
}

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

  std::vector<dns::Registration> registrations;
  std::vector<std::string> names;
  for (const auto& r : rows) {
    if (r.service == "dockerops-dns")
      continue;
    std::string host = r.service + "-" + r.instance + "." + k_zone;
    std::string service = r.service + "." + k_zone;
    names.push_back(host);
    names.push_back(service);
    if (r.container.state != "running" || r.ip.empty())
      continue;
    auto info = engine.inspect_container(r.container.id);
    dns::Registration reg;
    reg.name = info.hostname.empty() ? host : info.hostname + "." + k_zone;
    reg.service = service;
    reg.ip = r.ip;
    reg.policy = policy_of(info);
    registrations.push_back(reg);
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
  std::size_t changes = client.sync(dns::desired_addresses(registrations), names);
  print(fmt::format("dns:sync: {} running instance{} registered at {}, {} record{} changed\n",
                    registrations.size(), registrations.size() == 1 ? "" : "s", server, changes,
                    changes == 1 ? "" : "s"));
  return 0;
}

} // namespace dockerops::cli
