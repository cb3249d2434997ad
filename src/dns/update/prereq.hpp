#pragma once

#include "dns/update/message.hpp"
#include "dns/update/status.hpp"
#include "dns/zone/zone.hpp"

namespace dockerops::dns {

// RFC 2136 §3.2: checks the prerequisite section against the zone, in the
// RFC's order (TTL and class forms, NOTZONE, the ANY/NONE forms as they come,
// then the value-dependent RRset comparisons of §3.2.3 as whole sets).
UpdateStatus check_prerequisites(const Zone& zone, const std::vector<UpdateRecord>& prerequisites);

// Meta and query types (RFC 6895 §3.1: OPT and 128-255) never appear as data.
constexpr bool is_meta_type(std::uint16_t type) {
  return type == 0 || type == rr_type::opt || (type >= 128 && type <= 255);
}

} // namespace dockerops::dns
