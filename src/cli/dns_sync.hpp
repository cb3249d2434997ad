#pragma once

#include "cli/instances.hpp"
#include "dns/client/update_client.hpp"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::cli {

// The address of the project's running dockerops-dns among its instances; empty when none runs.
std::string running_dns_address(const std::vector<InstanceRow>& rows);

// A client of the project's DNS at `server` for the project zone, signed with the project key
// (.dockerops/dns.key, docs/decisions.md 13).
dns::UpdateClient project_dns_client(const std::string& server, const std::filesystem::path& project_dir);

// What dns_sync did.
struct DnsSyncResult {
  std::string server;         // the DNS container's address; empty = no running DNS
  std::size_t registered = 0; // running instances whose records were wanted
  std::size_t changes = 0;    // records added plus removed
};

// Makes the project zone and its reverse zone match the running instances among `rows` (dns:sync;
// also after run recreated the DNS, whose zone may be empty): both zones are read by a signed
// AXFR, then one UPDATE per zone with the difference, TSIG-signed with the project key. Managed
// are the A records pointing into the project /24 and every PTR of the reverse zone; the DNS's own
// dns.<zone> stays. Does nothing when the project has no running dockerops-dns.
DnsSyncResult dns_sync(engine::Engine& engine, const std::vector<InstanceRow>& rows,
                       const std::filesystem::path& project_dir);

// After run or rerun made a new DNS container (its zone starts empty unless persistent): dns_sync
// of the whole project, saying how many records of running instances came back.
void resync_new_dns(engine::Engine& engine, const std::string& project,
                    const std::filesystem::path& project_dir);

} // namespace dockerops::cli
