// Registration operations of the update client (docs/decisions.md 14) and the
// pure helpers behind `dockerops dns:sync`.

#include "base/error.hpp"
#include "base/strings.hpp"
#include "dns/client/update_client.hpp"

#include <arpa/inet.h>

#include <algorithm>

namespace dockerops::dns {

Record address_record(const std::string& fqdn, const std::string& ip, std::uint32_t ttl) {
  Record rr;
  rr.owner = name_from_text(fqdn);
  rr.ttl = ttl;
  unsigned char bytes[16];
  if (::inet_pton(AF_INET, ip.c_str(), bytes) == 1) {
    rr.type = rr_type::a;
    rr.rdata.assign(reinterpret_cast<const char*>(bytes), 4);
  } else if (::inet_pton(AF_INET6, ip.c_str(), bytes) == 1) {
    rr.type = rr_type::aaaa;
    rr.rdata.assign(reinterpret_cast<const char*>(bytes), 16);
  } else {
    fail(ErrorKind::dns, "{}: \"{}\" is not an IP address", fqdn, ip);
  }
  return rr;
}

std::string reverse_name(const std::string& ipv4) {
  std::vector<std::string> parts = strings::split(ipv4, '.');
  if (parts.size() != 4)
    fail(ErrorKind::dns, "\"{}\" is not an IPv4 address", ipv4);
  return fmt::format("{}.{}.{}.{}.in-addr.arpa.", parts[3], parts[2], parts[1], parts[0]);
}

std::string reverse_zone_24(const std::string& ipv4) {
  std::string name = reverse_name(ipv4);
  return name.substr(name.find('.') + 1);
}

namespace {

bool is_ipv4(const std::string& ip) {
  unsigned char bytes[4];
  return ::inet_pton(AF_INET, ip.c_str(), bytes) == 1;
}

std::string ptr_zone(const Registration& r) {
  return r.reverse_zone.empty() ? reverse_zone_24(r.ip) : r.reverse_zone;
}

Record ptr_record(const Registration& r) {
  Record rr;
  rr.owner = name_from_text(reverse_name(r.ip));
  rr.type = rr_type::ptr;
  rr.ttl = r.ttl;
  rr.rdata = name_from_text(r.name);
  return rr;
}

} // namespace

void UpdateClient::register_instance(const Registration& r) {
  if (r.policy == RegistrationPolicy::hide)
    return;
  Record own = address_record(r.name, r.ip, r.ttl);
  Record service = address_record(r.service, r.ip, r.ttl);
  // One message, so the zone never shows half a registration (RFC 2136 §3.7).
  send(m_zone, [&](UpdateBuilder& b) {
    b.delete_rrset(own.owner, own.type).add(own);
    if (r.policy == RegistrationPolicy::replace)
      b.delete_rrset(service.owner, service.type);
    b.add(service);
  });
  // The PTR lives in another zone, hence another message (one zone per UPDATE).
  if (r.ptr && is_ipv4(r.ip)) {
    Record ptr = ptr_record(r);
    send(ptr_zone(r), [&](UpdateBuilder& b) { b.delete_rrset(ptr.owner, rr_type::ptr).add(ptr); });
  }
}

void UpdateClient::deregister_instance(const Registration& r) {
  if (r.policy == RegistrationPolicy::hide)
    return;
  Record own = address_record(r.name, r.ip, r.ttl);
  Record service = address_record(r.service, r.ip, r.ttl);
  send(m_zone, [&](UpdateBuilder& b) {
    b.delete_rrset(own.owner, own.type);
    b.delete_rr(service); // only this instance's address: the others stay
  });
  if (r.ptr && is_ipv4(r.ip))
    send(ptr_zone(r), [&](UpdateBuilder& b) { b.delete_rr(ptr_record(r)); });
}

AddressMap desired_addresses(const std::vector<Registration>& registrations) {
  AddressMap out;
  for (const Registration& r : registrations) {
    if (r.policy == RegistrationPolicy::hide)
      continue;
    out[r.name].insert(r.ip);
    if (r.policy == RegistrationPolicy::replace)
      out[r.service].clear();
    out[r.service].insert(r.ip);
  }
  return out;
}

namespace {

// The updates that turn `current` into `desired`; `record` makes the RR of one (name, value).
template <class MakeRecord>
std::size_t add_difference(UpdateBuilder& b, const AddressMap& current, const AddressMap& desired,
                           MakeRecord record) {
  static const std::set<std::string> none;
  std::set<std::string> names;
  for (const auto& [name, values] : current)
    names.insert(name);
  for (const auto& [name, values] : desired)
    names.insert(name);
  std::size_t changes = 0;
  for (const std::string& name : names) {
    auto c = current.find(name);
    auto d = desired.find(name);
    const std::set<std::string>& have = c == current.end() ? none : c->second;
    const std::set<std::string>& want = d == desired.end() ? none : d->second;
    for (const std::string& value : have)
      if (!want.contains(value)) {
        b.delete_rr(record(name, value));
        ++changes;
      }
    for (const std::string& value : want)
      if (!have.contains(value)) {
        b.add(record(name, value));
        ++changes;
      }
  }
  return changes;
}

} // namespace

std::size_t add_sync_updates(UpdateBuilder& b, const AddressMap& current, const AddressMap& desired,
                             std::uint32_t ttl) {
  return add_difference(b, current, desired, [&](const std::string& name, const std::string& ip) {
    return address_record(name, ip, ttl);
  });
}

AddressMap desired_pointers(const std::vector<Registration>& registrations) {
  AddressMap out;
  for (const Registration& r : registrations)
    if (r.policy != RegistrationPolicy::hide && r.ptr && is_ipv4(r.ip))
      out[reverse_name(r.ip)].insert(r.name);
  return out;
}

std::size_t add_pointer_sync_updates(UpdateBuilder& b, const AddressMap& current, const AddressMap& desired,
                                     std::uint32_t ttl) {
  return add_difference(b, current, desired, [&](const std::string& owner, const std::string& target) {
    Record rr;
    rr.owner = name_from_text(owner);
    rr.type = rr_type::ptr;
    rr.ttl = ttl;
    rr.rdata = name_from_text(target);
    return rr;
  });
}

namespace {

std::string lowercase_name(const std::string& fqdn) {
  return name_to_text(name_from_text(fqdn));
}

// `map` with every name (and, for PTRs, every target) in lowercase presentation form,
// the form name_to_text gives transferred records.
AddressMap lowercase(const AddressMap& map, bool values_are_names) {
  AddressMap out;
  for (const auto& [name, values] : map) {
    std::set<std::string>& target = out[lowercase_name(name)];
    for (const std::string& v : values)
      target.insert(values_are_names ? lowercase_name(v) : v);
  }
  return out;
}

std::string address_text(const Record& rr) {
  char text[INET6_ADDRSTRLEN];
  ::inet_ntop(rr.type == rr_type::a ? AF_INET : AF_INET6, rr.rdata.data(), text, sizeof text);
  return text;
}

} // namespace

AddressMap managed_addresses(const std::vector<Record>& records, const std::string& network_ipv4,
                             const AddressMap& desired) {
  unsigned char network[4];
  if (::inet_pton(AF_INET, network_ipv4.c_str(), network) != 1)
    fail(ErrorKind::dns, "\"{}\" is not an IPv4 address", network_ipv4);
  const AddressMap wanted = lowercase(desired, false);
  AddressMap out;
  for (const Record& rr : records) {
    if (!(rr.type == rr_type::a && rr.rdata.size() == 4) &&
        !(rr.type == rr_type::aaaa && rr.rdata.size() == 16))
      continue;
    std::string name = name_to_text(rr.owner);
    std::string address = address_text(rr);
    // The project network is a /24 (docs/decisions.md 11): same first three octets.
    bool in_network = rr.type == rr_type::a &&
                      std::equal(network, network + 3, rr.rdata.begin(),
                                 [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); });
    auto want = wanted.find(name);
    if (in_network || (want != wanted.end() && want->second.contains(address)))
      out[name].insert(address);
  }
  return out;
}

AddressMap zone_pointers(const std::vector<Record>& records) {
  AddressMap out;
  for (const Record& rr : records)
    if (rr.type == rr_type::ptr)
      out[name_to_text(rr.owner)].insert(name_to_text(rr.rdata));
  return out;
}

std::size_t UpdateClient::sync(const AddressMap& desired, const std::string& network_ipv4) {
  const AddressMap want = lowercase(desired, false);
  const AddressMap current = managed_addresses(transfer(m_zone), network_ipv4, want);
  return send_difference(m_zone, [&](UpdateBuilder& b) { return add_sync_updates(b, current, want); });
}

std::size_t UpdateClient::sync_pointers(const std::string& reverse_zone, const AddressMap& desired) {
  const AddressMap want = lowercase(desired, true);
  const AddressMap current = zone_pointers(transfer(reverse_zone));
  return send_difference(reverse_zone,
                         [&](UpdateBuilder& b) { return add_pointer_sync_updates(b, current, want); });
}

std::size_t UpdateClient::send_difference(const std::string& zone,
                                          const std::function<std::size_t(UpdateBuilder&)>& difference) {
  UpdateBuilder probe(name_from_text(zone), 0);
  std::size_t changes = difference(probe);
  if (changes > 0)
    send(zone, [&](UpdateBuilder& b) { difference(b); });
  return changes;
}

} // namespace dockerops::dns
