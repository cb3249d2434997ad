#pragma once

#include "apply/registrar.hpp"
#include "dns/client/update_client.hpp"
#include "plan/observed.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
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

// Makes the project zone and its reverse zone match the running instances (dns:sync): both zones are
// read by a signed AXFR, then one UPDATE per zone with the difference, TSIG-signed with the project
// key, retried by the one DNS retry policy (apply/dns_retry.hpp). Managed are the A records pointing
// into the project /24 and every PTR of the reverse zone; the DNS's own dns.<zone> stays. Does
// nothing when the project has no running dockerops-dns. `registrar` nullptr = the project's DNS.
DnsSyncResult dns_sync(engine::Engine& engine, const std::string& project,
                       const plan::ObservedState& observed, const std::filesystem::path& project_dir,
                       apply::Registrar* registrar = nullptr);

// The A records of the project zone (one signed AXFR of the running DNS), for the planner to see
// missing and stale registrations; nullopt when no DNS runs or it does not answer at once.
std::optional<apply::ZoneAddresses> observe_zone(const plan::ObservedState& observed,
                                                 const std::filesystem::path& project_dir,
                                                 const std::string& project,
                                                 apply::Registrar* registrar = nullptr);

// What the DNS holds (a signed AXFR of both zones, stale records included): the zone-file lines of
// the project zone, then of the project network's reverse zone, each zone after a "; ZONE" line.
std::string dns_show(const std::string& server, const std::filesystem::path& project_dir);

} // namespace dockerops::core
