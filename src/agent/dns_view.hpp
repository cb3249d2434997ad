#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace dockerops::agent {

// One record as the project's DNS serves it.
struct DnsRecord {
  std::string name; // FQDN with the trailing dot
  std::uint32_t ttl = 0;
  std::string type; // "A", "PTR", "SOA"...
  std::string data; // presentation form
};

// The project zone and its reverse zone as the DNS holds them (a signed AXFR of each, with the
// project key), or why they could not be read.
struct DnsView {
  std::string server{}; // the DNS container's address; empty = the project has no running DNS
  std::vector<DnsRecord> records{};
  std::string error{};
};

// Reads both zones from `server` (quick timeouts: the agent's loop waits for it).
DnsView read_dns(const std::string& server, const std::filesystem::path& project_dir);

// Splits record_to_text's "name\tttl\tIN\tTYPE\tdata" into a DnsRecord.
DnsRecord dns_record_from_text(const std::string& text);

} // namespace dockerops::agent
