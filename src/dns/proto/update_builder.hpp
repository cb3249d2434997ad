#pragma once

#include "dns/proto/record.hpp"

#include <cstdint>
#include <vector>

namespace dockerops::dns {

// Builds an RFC 2136 UPDATE message (opcode 5) in wire form, uncompressed: the
// zone section, prerequisites (§2.4) and updates (§2.5). Used by the update
// client and by tests; sign the result with tsig_sign().
class UpdateBuilder {
public:
  UpdateBuilder(WireName zone, std::uint16_t id) : m_zone(std::move(zone)), m_id(id) {}

  // §2.4.1 RRset exists (value-independent): class ANY, type t, empty rdata.
  UpdateBuilder& require_rrset(const WireName& owner, std::uint16_t type);
  // §2.4.2 RRset exists (value-dependent): class IN, every RR of the set.
  UpdateBuilder& require_rr(const Record& rr);
  // §2.4.3 RRset does not exist: class NONE, type t.
  UpdateBuilder& require_no_rrset(const WireName& owner, std::uint16_t type);
  // §2.4.4 name is in use: class ANY, type ANY.
  UpdateBuilder& require_name(const WireName& owner);
  // §2.4.5 name is not in use: class NONE, type ANY.
  UpdateBuilder& require_no_name(const WireName& owner);

  // §2.5.1 add to an RRset.
  UpdateBuilder& add(const Record& rr);
  // §2.5.2 delete an RRset.
  UpdateBuilder& delete_rrset(const WireName& owner, std::uint16_t type);
  // §2.5.3 delete all RRsets from a name.
  UpdateBuilder& delete_name(const WireName& owner);
  // §2.5.4 delete an RR from an RRset.
  UpdateBuilder& delete_rr(const Record& rr);

  // Any record with any class/TTL, for tests of malformed forms.
  UpdateBuilder& raw_prerequisite(const Record& rr, std::uint16_t rclass);
  UpdateBuilder& raw_update(const Record& rr, std::uint16_t rclass);
  // Overrides the zone section's type and class (tests).
  UpdateBuilder& zone_type_class(std::uint16_t type, std::uint16_t rclass);

  std::size_t update_count() const { return m_updates.size(); }

  // The unsigned message.
  std::vector<std::uint8_t> wire() const;

private:
  struct Item {
    Record rr;
    std::uint16_t rclass;
  };
  WireName m_zone;
  std::uint16_t m_id;
  std::uint16_t m_zone_type = rr_type::soa;
  std::uint16_t m_zone_class = k_class_in;
  std::vector<Item> m_prerequisites;
  std::vector<Item> m_updates;
};

} // namespace dockerops::dns
