#include "apply/dns_registrar.hpp"

#include "apply/project_files.hpp"
#include "dns/client/update_client.hpp"
#include "dns/proto/record.hpp"
#include "project/model.hpp"

#include <mutex>

namespace dockerops::apply {
namespace {

std::string fqdn(const std::string& name, const std::string& zone) {
  std::string out = name + "." + zone;
  if (out.back() != '.')
    out += '.';
  return out;
}

dns::Registration registration(const DnsRecord& record) {
  dns::Registration r;
  r.name = fqdn(record.hostname, record.zone);
  r.service = fqdn(record.service, record.zone);
  r.ip = record.ip;
  r.policy = registration_policy(record.policy);
  r.ttl = project::k_record_ttl; // the default drain period is this TTL
  return r;
}

// Sends each update with the project's TSIG key; the key is read once.
class UpdateRegistrar : public Registrar {
public:
  explicit UpdateRegistrar(std::filesystem::path key_file) : m_key_file(std::move(key_file)) {}

  void register_instance(const DnsRecord& record) override {
    client(record).register_instance(registration(record));
  }
  void deregister_instance(const DnsRecord& record) override {
    client(record).deregister_instance(registration(record));
  }
  std::size_t sync(const std::string& server, const std::string& zone,
                   const std::vector<DnsRecord>& running) override {
    return sync_at({server, server, server}, zone, running);
  }
  std::size_t sync_at(const DnsSyncTarget& target, const std::string& zone,
                      const std::vector<DnsRecord>& running) override {
    std::vector<dns::Registration> registrations;
    for (const auto& record : running)
      registrations.push_back(registration(record));
    // The DNS's own name and PTR (dns.<zone>) stay; records outside the /24 are not touched.
    const std::string self = fqdn(std::string(dns::k_default_self_name), zone);
    dns::UpdateClient update =
        client({target.address, zone, "", "", "", project::DnsPolicy::append}, target.port);
    dns::AddressMap addresses = dns::desired_addresses(registrations);
    if (!target.self.empty())
      addresses[self].insert(target.self);
    std::size_t changes = update.sync(addresses, target.network);
    dns::AddressMap pointers = dns::desired_pointers(registrations);
    if (!target.self.empty() && dns::reverse_zone_24(target.self) == dns::reverse_zone_24(target.network))
      pointers[dns::reverse_name(target.self)].insert(self);
    return changes + update.sync_pointers(dns::reverse_zone_24(target.network), pointers);
  }
  ZoneAddresses addresses(const std::string& server, const std::string& zone) override {
    dns::UpdateClient update = client({server, zone, "", "", "", project::DnsPolicy::append});
    dns::AddressMap managed = dns::managed_addresses(update.transfer(fqdn_zone(zone)), server, {});
    return {managed.begin(), managed.end()};
  }

private:
  static std::string fqdn_zone(const std::string& zone) { return zone.back() == '.' ? zone : zone + "."; }

  dns::UpdateClient client(const DnsRecord& record, std::uint16_t port = 53) {
    dns::TsigKey key;
    {
      std::lock_guard lock(m_mutex);
      if (m_keys.empty())
        m_keys = dns::read_key_file(m_key_file);
      key = m_keys.front();
    }
    dns::ClientOptions options;
    options.server_ip = record.server;
    options.port = port;
    options.attempts = 1; // the retries are apply's (dns_retry.hpp)
    std::string zone = record.zone.back() == '.' ? record.zone : record.zone + ".";
    return dns::UpdateClient(options, key, zone);
  }

  std::filesystem::path m_key_file;
  std::mutex m_mutex;
  std::vector<dns::TsigKey> m_keys;
};

} // namespace

dns::RegistrationPolicy registration_policy(project::DnsPolicy policy) {
  switch (policy) {
  case project::DnsPolicy::replace:
    return dns::RegistrationPolicy::replace;
  case project::DnsPolicy::hide:
    return dns::RegistrationPolicy::hide;
  case project::DnsPolicy::append:
    break;
  }
  return dns::RegistrationPolicy::append;
}

std::unique_ptr<Registrar> make_dns_registrar(const std::filesystem::path& project_dir, const std::string&) {
  return std::make_unique<UpdateRegistrar>(dns_key_path(project_dir));
}

} // namespace dockerops::apply
