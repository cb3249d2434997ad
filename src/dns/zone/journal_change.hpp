#pragma once

#include "dns/zone/zone.hpp"

#include <vector>

namespace dockerops::dns {

// One primitive, deterministic change to a zone: the unit of the journal and
// of the update path's undo log. Replaying the changes of a commit on the zone
// it started from gives exactly the committed zone.
struct ZoneChange {
  enum class Kind : std::uint8_t { add = 1, remove = 2, serial = 3 };
  Kind kind = Kind::add;
  Record rr;                // add / remove (remove keeps the TTL it had, for undo)
  std::uint32_t serial = 0; // serial: the new SOA serial
  bool operator==(const ZoneChange&) const = default;
};

// Applies one change with the Zone primitives (Zone::add, Zone::remove, Zone::set_serial).
void apply_change(Zone& zone, const ZoneChange& change);

} // namespace dockerops::dns
