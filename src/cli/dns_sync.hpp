#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace dockerops::engine {
class Engine;
}

namespace dockerops::cli {

// What dns_sync did.
struct DnsSyncResult {
  std::string server;         // the DNS container's address; empty = no running DNS
  std::size_t registered = 0; // running instances whose records were wanted
  std::size_t changes = 0;    // records added plus removed
};

// Makes the project zone and its reverse zone match the running instances (dns:sync; also after
// run recreated the DNS, whose zone may be empty): both zones are read by a signed AXFR, then one
// UPDATE per zone with the difference, TSIG-signed with the project key. Managed are the A records
// pointing into the project /24 and every PTR of the reverse zone; the DNS's own dns.<zone> stays.
// Does nothing when the project has no running dockerops-dns.
DnsSyncResult dns_sync(engine::Engine& engine, const std::string& project,
                       const std::filesystem::path& project_dir);

} // namespace dockerops::cli
