#include "core/dns_sync.hpp"

#include "apply/dns_registrar.hpp"
#include "apply/dns_retry.hpp"
#include "apply/dns_sync.hpp"
#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "dns/proto/record_text.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"

#include <fmt/format.h>

#include <memory>

namespace dockerops::core {

std::string running_dns_address(const plan::ObservedState& observed) {
  for (const auto& c : observed.containers)
    if (c.label(project::k_label_service) == project::k_dns_service && c.state == "running")
      return c.ip;
  return "";
}

dns::UpdateClient project_dns_client(const std::string& server, const std::filesystem::path& project_dir,
                                     std::uint16_t port) {
  dns::ClientOptions options;
  options.server_ip = server;
  options.port = port;
  return dns::UpdateClient(options, dns::read_key_file(apply::dns_key_path(project_dir)).front(),
                           std::string(project::k_zone) + ".");
}

DnsSyncResult dns_sync(engine::Engine& engine, const std::string& project,
                       const plan::ObservedState& observed, const std::filesystem::path& project_dir,
                       apply::Registrar* registrar) {
  const std::string zone(project::k_zone);
  DnsSyncResult result;
  if (observed.swarm) {
    apply::SwarmDnsResult synced = swarm_dns_sync(project, observed, project_dir, nullptr, registrar);
    result.server = fmt::format("{} node{}", synced.nodes.size(), synced.nodes.size() == 1 ? "" : "s");
    result.registered = synced.registered;
    result.changes = synced.changes();
    std::vector<std::string> failed;
    for (const auto& n : synced.nodes)
      if (!n.error.empty())
        failed.push_back(n.target.node);
    if (!failed.empty())
      fail(ErrorKind::dns_unreachable,
           "dns: sync: the DNS of node{} {} did not answer (the others are synced)",
           failed.size() == 1 ? "" : "s", strings::join(failed, ", "));
    return result;
  }
  result.server = running_dns_address(observed);
  if (result.server.empty())
    return result;
  std::unique_ptr<apply::Registrar> own;
  if (!registrar) {
    own = apply::make_dns_registrar(project_dir, project);
    registrar = own.get();
  }
  apply::with_dns_retries(fmt::format("dns: sync at {}", result.server), [&] {
    // The zones are transferred (AXFR): addresses in the project /24 and PTRs that nobody
    // deregistered (instances removed while the DNS was down) go, missing ones come.
    std::vector<apply::DnsRecord> running = apply::running_records(engine, project, result.server, zone);
    result.registered = running.size();
    result.changes = registrar->sync(result.server, zone, running);
  });
  return result;
}

apply::SwarmDnsResult swarm_dns_sync(const std::string& project, const plan::ObservedState& observed,
                                     const std::filesystem::path& project_dir,
                                     const std::vector<apply::SwarmDnsTarget>* targets,
                                     apply::Registrar* registrar, const apply::DnsRetryPolicy& policy) {
  if (!observed.swarm)
    fail(ErrorKind::internal, "swarm_dns_sync: no swarm observed");
  const std::string zone(project::k_zone);
  std::vector<apply::SwarmDnsTarget> every;
  if (!targets) {
    every = apply::swarm_dns_targets(*observed.swarm, project);
    targets = &every;
  }
  std::string network = apply::swarm_dns_network(observed, project);
  if (targets->empty() || network.empty())
    return {apply::swarm_dns_records(*observed.swarm, project, zone).size(), {}};
  std::unique_ptr<apply::Registrar> own;
  if (!registrar) {
    own = apply::make_dns_registrar(project_dir, project);
    registrar = own.get();
  }
  apply::SwarmDnsResult result = apply::swarm_dns_sync(
      *registrar, *targets, zone, network, apply::swarm_dns_records(*observed.swarm, project, zone), policy);
  for (const auto& n : result.nodes)
    if (!n.error.empty())
      log::warning("dns: node {}: {}; the next sync corrects it", n.target.node, n.error);
  return result;
}

std::string swarm_dns_show(const plan::ObservedState& observed, const std::string& project,
                           const std::filesystem::path& project_dir) {
  std::string text;
  std::string network = apply::swarm_dns_network(observed, project);
  for (const auto& target : apply::swarm_dns_targets(*observed.swarm, project)) {
    text += fmt::format("; node {}\n", target.node);
    try {
      text += dns_show(target.address, project_dir, network, target.port);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted)
        throw;
      text += fmt::format("; {}: {}\n", target.node, e.what());
    }
  }
  return text;
}

std::optional<apply::ZoneAddresses> observe_zone(const plan::ObservedState& observed,
                                                 const std::filesystem::path& project_dir,
                                                 const std::string& project, apply::Registrar* registrar) {
  std::string server = running_dns_address(observed);
  if (server.empty())
    return std::nullopt;
  std::unique_ptr<apply::Registrar> own;
  if (!registrar) {
    if (!std::filesystem::exists(apply::dns_key_path(project_dir)))
      return std::nullopt;
    own = apply::make_dns_registrar(project_dir, project);
    registrar = own.get();
  }
  try {
    // A DNS container that has just started answers within seconds (dnsd starts under supervisord).
    apply::ZoneAddresses zone;
    apply::DnsRetryPolicy policy;
    policy.deadline = std::chrono::seconds(5);
    apply::with_dns_retries(
        fmt::format("dns: transfer from {}", server),
        [&] { zone = registrar->addresses(server, std::string(project::k_zone)); }, policy);
    return zone;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::interrupted)
      throw;
    // Then the plan cannot see missing records; the registrations it makes still happen.
    log::debug("dns: the zone at {} could not be read ({}): registrations are not checked", server, e.what());
    return std::nullopt;
  }
}

std::string dns_show(const std::string& server, const std::filesystem::path& project_dir,
                     const std::string& network, std::uint16_t port) {
  dns::UpdateClient client = project_dns_client(server, project_dir, port);
  std::string text;
  for (const std::string& zone :
       {std::string(project::k_zone) + ".", dns::reverse_zone_24(network.empty() ? server : network)}) {
    text += fmt::format("; {} (from {})\n", zone, server);
    for (const dns::Record& rr : client.transfer(zone))
      text += dns::record_to_text(rr) + "\n";
  }
  return text;
}

} // namespace dockerops::core
