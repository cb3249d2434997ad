#pragma once

#include "dns/client/update_client.hpp"
#include "plan/observed.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::core {

// The address of the project's running dockerops-dns among the observed containers; "" when none runs.
std::string running_dns_address(const plan::ObservedState& observed);

// A client of the project's DNS at `server` for the project zone, signed with the project key
// (.dockerops/dns.key, docs/decisions.md 13).
dns::UpdateClient project_dns_client(const std::string& server, const std::filesystem::path& project_dir);

// What dns_sync did.
struct DnsSyncResult {
  std::string server;         // the DNS container's address; empty = no running DNS
  std::size_t registered = 0; // running instances whose records were wanted
  std::size_t changes = 0;    // records added plus removed
};

// Makes the project zone and its reverse zone match the running instances (dns:sync; also after run
// recreated the DNS, whose zone may be empty): both zones are read by a signed AXFR, then one UPDATE
// per zone with the difference, TSIG-signed with the project key. Managed are the A records pointing
// into the project /24 and every PTR of the reverse zone; the DNS's own dns.<zone> stays. Does
// nothing when the project has no running dockerops-dns.
DnsSyncResult dns_sync(engine::Engine& engine, const plan::ObservedState& observed,
                       const std::filesystem::path& project_dir);

// What the DNS holds (a signed AXFR of both zones, stale records included): the zone-file lines of
// the project zone, then of the project network's reverse zone, each zone after a "; ZONE" line.
std::string dns_show(const std::string& server, const std::filesystem::path& project_dir);

} // namespace dockerops::core
