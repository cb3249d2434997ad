#include "cli/dns_sync.hpp"

#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "cli/instances.hpp"
#include "dns/client.hpp"
#include "dns/dnsd_options.hpp"
#include "engine/engine.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace dockerops::cli {

DnsSyncResult dns_sync(engine::Engine& engine, const std::string& project,
                       const std::filesystem::path& project_dir) {
  constexpr const char* zone = "local.zone.";
  DnsSyncResult result;
  auto rows = list_instances(engine, project);
  for (const auto& r : rows)
    if (r.service == "dockerops-dns" && r.container.state == "running")
      result.server = r.ip;
  if (result.server.empty())
    return result;
  std::vector<dns::Registration> registrations;
  std::vector<std::string> names;
  for (const auto& r : rows) {
    if (r.service == "dockerops-dns")
      continue;
    std::string host = r.service + "-" + r.instance + "." + zone;
    std::string service = r.service + "." + zone;
    names.push_back(host);
    names.push_back(service);
    if (r.container.state != "running" || r.ip.empty())
      continue;
    auto info = engine.inspect_container(r.container.id);
    dns::Registration reg;
    reg.name = info.hostname.empty() ? host : info.hostname + "." + zone;
    reg.service = service;
    reg.ip = r.ip;
    for (const auto& kv : info.env)
      if (kv.rfind("DNS_UPDATE_POLICY=", 0) == 0)
        reg.policy = dns::parse_registration_policy(kv.substr(18));
    registrations.push_back(reg);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  dns::ClientOptions options;
  options.server_ip = result.server;
  dns::UpdateClient client(options, dns::read_key_file(apply::dns_key_path(project_dir)).front(), zone);
  result.registered = registrations.size();
  // dnsd starts under supervisord after the container's ready line: retry for a few seconds.
  for (int attempt = 0;; ++attempt) {
    try {
      result.changes = client.sync(dns::desired_addresses(registrations), names);
      // Every host address of the project's /24 is checked (no AXFR): PTRs of instances that
      // went away while the DNS was down, or of old addresses, are removed too. The DNS's own
      // PTR (dns.<zone>, from its zone file) stays.
      dns::AddressMap pointers = dns::desired_pointers(registrations);
      pointers[dns::reverse_name(result.server)].insert(std::string(dns::k_default_self_name) + "." + zone);
      result.changes += client.sync_pointers(dns::reverse_zone_24(result.server), pointers,
                                             dns::reverse_names_24(result.server));
      return result;
    } catch (const Error& e) {
      if (attempt >= 40 || e.kind() == ErrorKind::interrupted)
        throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      interrupt::check();
    }
  }
}

} // namespace dockerops::cli
