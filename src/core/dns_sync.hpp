#pragma once

#include "apply/dns_retry.hpp"
#include "apply/registrar.hpp"
#include "apply/swarm_dns.hpp"
#include "dns/client/update_client.hpp"
#include "plan/observed.hpp"

#include <cstddef>
#include <cstdint>
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
dns::UpdateClient project_dns_client(const std::string& server, const std::filesystem::path& project_dir,
                                     std::uint16_t port = 53);

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
// On a swarm (observed.swarm set) it is swarm_dns_sync at every node's DNS; then a node whose DNS did
// not answer fails it with a dns_unreachable Error once the others are synced.
DnsSyncResult dns_sync(engine::Engine& engine, const std::string& project,
                       const plan::ObservedState& observed, const std::filesystem::path& project_dir,
                       apply::Registrar* registrar = nullptr);

// dns_sync on a swarm (docs/decisions.md 39), FUNCTION READY for the agent: the records of the
// running tasks of `observed.swarm` (apply::swarm_dns_records) made to be exactly what every DNS of
// `targets` holds; `targets` nullptr = every node's running DNS task at the node's address
// (apply::swarm_dns_targets). A DNS that does not answer within the retry policy's deadline is
// reported in the result (and logged as a warning), not thrown. `registrar` nullptr = the project's
// key (.dockerops/dns.key). `policy`: how long each node's DNS is retried (default: the one DNS retry
// policy). Pure of the engine: the caller observes (apply::observe_swarm).
apply::SwarmDnsResult swarm_dns_sync(const std::string& project, const plan::ObservedState& observed,
                                     const std::filesystem::path& project_dir,
                                     const std::vector<apply::SwarmDnsTarget>* targets = nullptr,
                                     apply::Registrar* registrar = nullptr,
                                     const apply::DnsRetryPolicy& policy = {});

// What every node's DNS holds (dns_show per node, each at its node's address); a node whose DNS
// does not answer gets a "; <node>: <error>" line.
std::string swarm_dns_show(const plan::ObservedState& observed, const std::string& project,
                           const std::filesystem::path& project_dir);

// The A records of the project zone (one signed AXFR of the running DNS), for the planner to see
// missing and stale registrations; nullopt when no DNS runs or it does not answer at once.
std::optional<apply::ZoneAddresses> observe_zone(const plan::ObservedState& observed,
                                                 const std::filesystem::path& project_dir,
                                                 const std::string& project,
                                                 apply::Registrar* registrar = nullptr);

// What the DNS holds (a signed AXFR of both zones, stale records included): the zone-file lines of
// the project zone, then of the project network's reverse zone, each zone after a "; ZONE" line.
// `network`: an address in the project /24 when the server's is not (a swarm node's address).
std::string dns_show(const std::string& server, const std::filesystem::path& project_dir,
                     const std::string& network = "", std::uint16_t port = 53);

} // namespace dockerops::core
