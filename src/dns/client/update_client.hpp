#pragma once

// The update client dockerops's apply step uses to register instances in
// dockerops-dnsd (docs/decisions.md 14): TSIG-signed RFC 2136 UPDATEs over TCP
// with timeouts and bounded retries; replies are TSIG-verified and their
// RCODE becomes an Error(ErrorKind::dns) with a message for people.
//
// No ldns here: messages are built with UpdateBuilder and signed with tsig.hpp.

#include "dns/client/options.hpp"
#include "dns/proto/key_file.hpp"
#include "dns/proto/update_builder.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace dockerops::dns {

// DNS_UPDATE_POLICY of a service (docs/decisions.md 14; default APPEND).
enum class RegistrationPolicy { append, replace, hide };

// One instance's names: <service>-<instance>.<zone> (always, unless HIDE),
// <service>.<zone> per the policy, and the PTR in the reverse zone.
struct Registration {
  std::string name;    // FQDN, e.g. "web-1.local.zone."
  std::string service; // FQDN, e.g. "web.local.zone."
  std::string ip;      // IPv4 (A + PTR) or IPv6 (AAAA, no PTR)
  RegistrationPolicy policy = RegistrationPolicy::append;
  std::uint32_t ttl = 60;
  bool ptr = true;
  std::string reverse_zone; // FQDN; empty = the /24 of an IPv4 address (x.y.z.in-addr.arpa.)
};

// Desired A/AAAA contents per owner name (FQDN -> addresses), for sync().
using AddressMap = std::map<std::string, std::set<std::string>>;

class UpdateClient {
public:
  // `zone` is the forward zone (FQDN) every name belongs to.
  UpdateClient(ClientOptions options, TsigKey key, std::string zone);

  // APPEND: replace the name's own address RRset (a recreated instance never
  // keeps a stale IP) and add the address to <service>; REPLACE: make
  // <service> point to this instance only; HIDE: nothing. Then the PTR.
  void register_instance(const Registration& r);

  // Removes exactly what register_instance added: the instance's own RRset,
  // its address from <service> (class NONE delete of that RR, so the other
  // instances stay) and its PTR.
  void deregister_instance(const Registration& r);

  // Every record of `zone` (FQDN) by a TSIG-signed AXFR over TCP (RFC 5936),
  // the signature of every message verified (RFC 8945 §5.3.1): the SOA first,
  // then the rest in the server's order; the closing SOA is checked, not
  // returned. Throws a dns Error on refusal, a bad signature or a timeout.
  std::vector<Record> transfer(const std::string& zone);

  // Makes the A records of the forward zone that point into the /24 of
  // `network_ipv4` (the project network, docs/decisions.md 11) equal to `desired`:
  // transfers the zone, then sends one UPDATE with the difference. Records
  // outside that /24 (static records of the zone file) and the apex SOA/NS are
  // never touched. Returns the number of RRs added plus removed.
  std::size_t sync(const AddressMap& desired, const std::string& network_ipv4);

  // The same for the PTR records of `reverse_zone` (FQDN): `desired` maps reverse
  // names ("11.5.30.172.in-addr.arpa.") to the names they point to; every other
  // PTR of the zone is removed. One UPDATE to the reverse zone.
  std::size_t sync_pointers(const std::string& reverse_zone, const AddressMap& desired);

  // Sends one UPDATE built by `build` (called once per attempt with a fresh
  // ID), verifies the reply and throws a dns Error on any failure.
  void send(const std::string& zone, const std::function<void(UpdateBuilder&)>& build);

private:
  // Sends one UPDATE of `zone` with what `difference` adds to a builder, when
  // it adds anything (sync, sync_pointers); returns the number of changes.
  std::size_t send_difference(const std::string& zone,
                              const std::function<std::size_t(UpdateBuilder&)>& difference);

  std::vector<std::uint8_t> exchange(const std::vector<std::uint8_t>& request);

  ClientOptions m_options;
  TsigKey m_key;
  std::string m_zone;
};

// The address map a set of registrations should produce (HIDE contributes
// nothing; REPLACE keeps only the last registration of a service).
AddressMap desired_addresses(const std::vector<Registration>& registrations);

// Adds to `b` the updates that turn `current` into `desired` for every name in
// either map; returns the number of RRs added plus removed.
std::size_t add_sync_updates(UpdateBuilder& b, const AddressMap& current, const AddressMap& desired,
                             std::uint32_t ttl = 60);

// The PTR map a set of registrations should produce: reverse name -> instance name, for the
// IPv4 registrations that are not hidden and want a PTR.
AddressMap desired_pointers(const std::vector<Registration>& registrations);

// The same as add_sync_updates for PTR records (values are target names).
std::size_t add_pointer_sync_updates(UpdateBuilder& b, const AddressMap& current, const AddressMap& desired,
                                     std::uint32_t ttl = 60);

// What sync() manages in a transferred zone (names lowercase FQDNs): the A
// records whose address lies in the /24 of `network_ipv4`, plus the A/AAAA
// records `desired` lists already (so they are not added twice).
AddressMap managed_addresses(const std::vector<Record>& records, const std::string& network_ipv4,
                             const AddressMap& desired);

// Every PTR of a transferred reverse zone: reverse name -> target names.
AddressMap zone_pointers(const std::vector<Record>& records);

// Address record of an IP literal: type A or AAAA and its rdata; throws a dns Error.
Record address_record(const std::string& fqdn, const std::string& ip, std::uint32_t ttl);

// "10.0.0.5" -> "5.0.0.10.in-addr.arpa."; the /24 reverse zone is "0.0.10.in-addr.arpa.".
std::string reverse_name(const std::string& ipv4);
std::string reverse_zone_24(const std::string& ipv4);

// Text of an RCODE ("NXRRSET") for messages.
std::string rcode_name(std::uint16_t rcode);

} // namespace dockerops::dns
