#pragma once

#include "dns/update/message.hpp"
#include "dns/update/status.hpp"
#include "dns/zone/zone.hpp"

#include <cstddef>

namespace dockerops::dns {

// Default caps: APPEND registration must not let one name grow without bound
// (like BIND's `A(n)` quota), and one message must not carry thousands of RRs.
inline constexpr std::size_t k_default_max_records_per_name = 64;
inline constexpr std::size_t k_default_max_records_per_update = 1000;

// The permission layer of RFC 2136 §3.3. Every key may update the whole zone
// (BIND's `zonesub`); limits are what protects the zone. Denials are REFUSED.
struct UpdatePolicy {
  std::size_t max_records_per_name = k_default_max_records_per_name;     // 0 = no cap
  std::size_t max_records_per_update = k_default_max_records_per_update; // prerequisites + updates

  // Before anything runs: the size of the message, and no DNAME added.
  UpdateStatus check_message(const UpdateMessage& message) const;

  // After applying to the copy: every name that gained data is within the cap.
  UpdateStatus check_result(const Zone& zone, const std::vector<UpdateRecord>& updates) const;
};

} // namespace dockerops::dns
