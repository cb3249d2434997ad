#pragma once

// Command-line options of dockerops-dnsd, parsed into a plain struct so the
// start-up logic (dnsd.cpp) reads like a recipe.

#include "dns/proto/record.hpp"
#include "dns/update/config.hpp"
#include "dns/update/policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dockerops::dns {

struct DnsdOptions {
  std::vector<std::string> listen; // default 127.0.0.1
  std::uint16_t port = 53;
  std::string zone = "local.zone";
  std::string zone_file;    // empty: minimal generated apex
  std::string reverse_zone; // e.g. 0.30.172.in-addr.arpa; empty: none
  std::string reverse_zone_file;
  std::string key_file;
  std::string journal;
  std::size_t journal_compact_after = k_default_journal_compact_after; // 0 = only at a clean stop
  std::vector<std::string> forward; // default: /etc/resolv.conf nameservers
  bool no_forward = false;
  std::vector<std::string> forward_allow;                            // default: loopback + listen subnets
  std::vector<std::string> forward_deny;                             // default: the default routes' gateways
  bool forward_published = false;                                    // no default --forward-deny
  std::size_t max_records_per_name = k_default_max_records_per_name; // APPEND cannot explode a name
  std::size_t classic_answer_limit = 0; // addresses per A/AAAA answer to a UDP query without EDNS; 0 = all
  std::string self_name = k_default_self_name;
  std::string self_address;
  std::uint32_t ttl = 60;
  std::size_t tcp_max_connections = 64;
  double tcp_idle_timeout = 10; // seconds
  bool verbose = false;
  bool quiet = false;
};

// Parses argv. Returns nullopt after printing --help or --version (exit 0);
// throws a usage Error for bad options.
std::optional<DnsdOptions> parse_dnsd_options(int argc, char** argv);

} // namespace dockerops::dns
