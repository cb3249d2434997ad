#include "core/dns_sync.hpp"

#include "apply/dns_registrar.hpp"
#include "apply/dns_retry.hpp"
#include "apply/dns_sync.hpp"
#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/log.hpp"
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

dns::UpdateClient project_dns_client(const std::string& server, const std::filesystem::path& project_dir) {
  dns::ClientOptions options;
  options.server_ip = server;
  return dns::UpdateClient(options, dns::read_key_file(apply::dns_key_path(project_dir)).front(),
                           std::string(project::k_zone) + ".");
}

DnsSyncResult dns_sync(engine::Engine& engine, const std::string& project,
                       const plan::ObservedState& observed, const std::filesystem::path& project_dir,
                       apply::Registrar* registrar) {
  const std::string zone(project::k_zone);
  DnsSyncResult result;
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

std::string dns_show(const std::string& server, const std::filesystem::path& project_dir) {
  dns::UpdateClient client = project_dns_client(server, project_dir);
  std::string text;
  for (const std::string& zone : {std::string(project::k_zone) + ".", dns::reverse_zone_24(server)}) {
    text += fmt::format("; {} (from {})\n", zone, server);
    for (const dns::Record& rr : client.transfer(zone))
      text += dns::record_to_text(rr) + "\n";
  }
  return text;
}

} // namespace dockerops::core
