#include "cli/dns_sync.hpp"

#include "apply/dns_registrar.hpp"
#include "apply/project_files.hpp"
#include "base/error.hpp"
#include "base/interrupt.hpp"
#include "base/log.hpp"
#include "dns/proto/record.hpp"
#include "engine/engine.hpp"
#include "project/model.hpp"

#include <chrono>
#include <thread>

namespace dockerops::cli {

std::string running_dns_address(const std::vector<InstanceRow>& rows) {
  for (const auto& r : rows)
    if (r.service == "dockerops-dns" && r.container.state == "running")
      return r.ip;
  return "";
}

dns::UpdateClient project_dns_client(const std::string& server, const std::filesystem::path& project_dir) {
  dns::ClientOptions options;
  options.server_ip = server;
  return dns::UpdateClient(options, dns::read_key_file(apply::dns_key_path(project_dir)).front(),
                           std::string(project::k_zone) + ".");
}

DnsSyncResult dns_sync(engine::Engine& engine, const std::vector<InstanceRow>& rows,
                       const std::filesystem::path& project_dir) {
  const std::string zone = std::string(project::k_zone) + ".";
  DnsSyncResult result;
  result.server = running_dns_address(rows);
  if (result.server.empty())
    return result;
  std::vector<dns::Registration> registrations;
  for (const auto& r : rows) {
    if (r.service == "dockerops-dns" || r.container.state != "running" || r.ip.empty())
      continue;
    auto info = engine.inspect_container(r.container.id);
    dns::Registration reg;
    reg.name = (info.hostname.empty() ? r.service + "-" + r.instance : info.hostname) + "." + zone;
    reg.service = r.service + "." + zone;
    reg.ip = r.ip;
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

void resync_new_dns(engine::Engine& engine, const std::string& project,
                    const std::filesystem::path& project_dir) {
  DnsSyncResult synced = dns_sync(engine, list_instances(engine, project), project_dir);
  if (synced.changes > 0)
    log::notice("dns: {} record{} of running instances registered again", synced.changes,
                synced.changes == 1 ? "" : "s");
}

} // namespace dockerops::cli
