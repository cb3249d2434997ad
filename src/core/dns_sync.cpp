#include "core/dns_sync.hpp"

#include "apply/dns_registrar.hpp"
#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "dns/proto/record.hpp"
#include "dns/proto/record_text.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>

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

DnsSyncResult dns_sync(engine::Engine& engine, const plan::ObservedState& observed,
                       const std::filesystem::path& project_dir) {
  const std::string zone = std::string(project::k_zone) + ".";
  DnsSyncResult result;
  result.server = running_dns_address(observed);
  if (result.server.empty())
    return result;
  std::vector<dns::Registration> registrations;
  for (const auto& c : observed.containers) {
    std::string service = c.label(project::k_label_service);
    if (service == project::k_dns_service || c.state != "running" || c.ip.empty())
      continue;
    auto info = engine.inspect_container(c.id);
    dns::Registration reg;
    reg.name = (info.hostname.empty() ? service + "-" + c.label(project::k_label_instance) : info.hostname) +
               "." + zone;
    reg.service = service + "." + zone;
    reg.ip = c.ip;
    reg.policy = apply::registration_policy(project::dns_policy_in_env(info.env));
    registrations.push_back(reg);
  }
  dns::UpdateClient client = project_dns_client(result.server, project_dir);
  result.registered = registrations.size();
  // dnsd starts under supervisord after the container's ready line: retry for a few seconds.
  for (int attempt = 0;; ++attempt) {
    try {
      // The zones are transferred (AXFR): addresses in the project /24 and PTRs that nobody
      // deregistered (instances removed while the DNS was down) go, missing ones come. The
      // DNS's own name and PTR (dns.<zone>) stay; records outside the /24 are not touched.
      const std::string self = std::string(dns::k_default_self_name) + "." + zone;
      dns::AddressMap addresses = dns::desired_addresses(registrations);
      addresses[self].insert(result.server);
      result.changes = client.sync(addresses, result.server);
      dns::AddressMap pointers = dns::desired_pointers(registrations);
      pointers[dns::reverse_name(result.server)].insert(self);
      result.changes += client.sync_pointers(dns::reverse_zone_24(result.server), pointers);
      return result;
    } catch (const Error& e) {
      if (attempt >= 40 || e.kind() == ErrorKind::interrupted)
        throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      interrupt::check();
    }
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
