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

namespace {

// On a swarm (docs/decisions.md 39) every node's DNS, each at its node's address: dns:show prints
// each one's zones, dns:sync makes each hold the running tasks' records (a line per node; a node
// whose DNS did not answer fails the command once the others are synced).
int swarm_dns(Context& context, const std::string& action, const std::string& project,
              const std::filesystem::path& project_dir) {
  plan::ObservedState observed = apply::observe_swarm(context.engine(), project);
  if (apply::swarm_dns_targets(*observed.swarm, project).empty())
    fail(ErrorKind::not_found, "dns:{}: project {} has no running dockerops-dns task on a ready node", action,
         project);
  if (action == "show") {
    print(core::swarm_dns_show(observed, project, project_dir));
    return 0;
  }
  auto lock = lock_project(context, project_dir, project, "dockerops dns:sync");
  observed = apply::observe_swarm(context.engine(), project);
  apply::SwarmDnsResult synced = core::swarm_dns_sync(project, observed, project_dir);
  std::string out;
  for (const auto& n : synced.nodes)
    out += n.error.empty()
               ? fmt::format("dns:sync: node {} at {}: {} record{} changed\n", n.target.node,
                             n.target.address, n.changes, n.changes == 1 ? "" : "s")
               : fmt::format("dns:sync: node {} at {}: no answer\n", n.target.node, n.target.address);
  out += fmt::format("dns:sync: {} running task{} registered at {} node{}, {} record{} changed\n",
                     synced.registered, synced.registered == 1 ? "" : "s", synced.nodes.size(),
                     synced.nodes.size() == 1 ? "" : "s", synced.changes(), synced.changes() == 1 ? "" : "s");
  print(out);
  if (synced.failures() > 0)
    fail(ErrorKind::dns_unreachable, "dns:sync: {} of {} nodes' DNS did not answer; the others are synced",
         synced.failures(), synced.nodes.size());
  return 0;
}

} // namespace

// dns:sync makes the zone match the running instances (the DNS may have restarted and lost its
// records, or missed a stop); dns:show prints what the DNS holds, read by zone transfer.
int cmd_dns(Context& context, const Arguments& args) {
  std::string action = args.get_or("action", "sync");
  if (action != "sync" && action != "show")
    fail(ErrorKind::usage, "dns: unknown action \"{}\"{}", action,
         strings::did_you_mean(action, {"sync", "show"}));
  std::string project = project_name(context);
  std::filesystem::path project_dir = std::filesystem::absolute(context.options().project_dir);
  if (on_swarm(context))
    return swarm_dns(context, action, project, project_dir);
  plan::ObservedState observed = apply::observe(context.engine(), project);
  std::string server = core::running_dns_address(observed);
  if (server.empty())
    fail(ErrorKind::not_found, "dns:{}: project {} has no running dockerops-dns instance", action, project);
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
