#pragma once

// The project network's /24, chosen from a pool by dockerops so that the DNS
// can be pinned at .2 (docs/decisions.md 11). Pure: the subnets in use are an input.

#include <string>
#include <string_view>
#include <vector>

namespace dockerops::project {

// The first /24 of `pool` (default "172.30.0.0/16") that overlaps none of
// `in_use` (CIDR strings of existing networks); throws a conflict Error naming
// the pool when all are taken.
std::string choose_subnet(const std::vector<std::string>& in_use, std::string_view pool = "172.30.0.0/16");

// The address at `host` in a /24: ("172.30.5.0/24", 2) -> "172.30.5.2".
std::string subnet_host(std::string_view subnet, int host);

// The reverse zone of a /24 ("172.30.5.0/24" -> "5.30.172.in-addr.arpa").
std::string reverse_zone(std::string_view subnet);

} // namespace dockerops::project
