#pragma once

#include "dns/update/message.hpp"
#include "dns/update/status.hpp"
#include "dns/zone/zone.hpp"

namespace dockerops::dns {

// Largest TTL accepted in an add (RFC 2181 §8: the top bit must be zero).
inline constexpr std::uint32_t k_max_ttl = 0x7fffffff;

// RFC 2136 §3.4.1: checks every update RR before anything changes: owners in
// the zone (NOTZONE), classes IN/ANY/NONE, no meta types except ANY in the
// "delete all RRsets" form, ANY and NONE forms with TTL 0 (and empty rdata for
// ANY), TTL <= 2^31 - 1 for adds (FORMERR otherwise).
UpdateStatus prescan_updates(const Zone& zone, const std::vector<UpdateRecord>& updates);

} // namespace dockerops::dns
