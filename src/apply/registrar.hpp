#pragma once

#include "project/model.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace dockerops::apply {

// The records one instance owns in the project zone (docs/decisions.md 14).
struct DnsRecord {
  std::string server;   // the DNS container's IP on the project network
  std::string zone;     // "local.zone"
  std::string hostname; // "demo-one": <hostname>.<zone> A and its PTR
  std::string service;  // "demo": <service>.<zone> A per policy
  std::string ip;       // the instance's address
  project::DnsPolicy policy = project::DnsPolicy::append;
};

// Where a dns-sync goes and what it manages there. On one host all three are the DNS container's
// address; on a swarm (docs/decisions.md 39) the address is a node's (port 53 published in host
// mode) or a DNS task's on the overlay, the network is the overlay's, and dns.<zone> is the
// docker_gwbridge gateway, outside the managed /24, so no self record is managed.
struct DnsSyncTarget {
  std::string address; // where the DNS answers (TCP)
  std::string network; // an address in the project /24: the A records managed, the reverse zone
  std::string self;    // dns.<zone>'s address, kept with its PTR; "" = none
  std::uint16_t port = 53;
};

// The A records of a zone: lowercase FQDN ("web-one.local.zone.") -> addresses.
using ZoneAddresses = std::map<std::string, std::set<std::string>>;

// Talks to the project's DNS: the real one sends TSIG-signed RFC 2136 updates and transfers over TCP
// (dns_registrar.hpp); unit tests use a recording one. Each call is one attempt: the retry policy
// is apply's (dns_retry.hpp).
class Registrar {
public:
  virtual ~Registrar() = default;
  // Adds <hostname>.<zone>, the PTR, and <service>.<zone> per policy (APPEND adds, REPLACE
  // replaces, HIDE registers nothing).
  virtual void register_instance(const DnsRecord& record) = 0;
  // Removes what register_instance added: only this instance's address from <service>.<zone>.
  virtual void deregister_instance(const DnsRecord& record) = 0;
  // Makes the zone and the reverse zone of `server`'s /24 hold exactly the records of `running` (and
  // the DNS's own name); returns the number of records added plus removed.
  virtual std::size_t sync(const std::string& server, const std::string& zone,
                           const std::vector<DnsRecord>& running) = 0;
  // The same at `target`. A registrar that knows no targets (a test's) syncs at target.address.
  virtual std::size_t sync_at(const DnsSyncTarget& target, const std::string& zone,
                              const std::vector<DnsRecord>& running) {
    return sync(target.address, zone, running);
  }
  // The A records the zone holds now (a signed AXFR).
  virtual ZoneAddresses addresses(const std::string& server, const std::string& zone) = 0;
};

} // namespace dockerops::apply
