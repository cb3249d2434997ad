#pragma once

#include "dns/proto/wire.hpp"
#include "dns/proto/wire_reader.hpp"

#include <vector>

namespace dockerops::dns {

// One prerequisite or update RR with its class (IN, ANY or NONE, RFC 2136 §2.4, §2.5).
using UpdateRecord = wire_reader::WireRecord;

// The sections of an UPDATE message (RFC 2136 §2): zone, prerequisites, updates.
struct UpdateMessage {
  WireName zone; // canonical
  std::uint16_t zone_type = 0;
  std::uint16_t zone_class = 0;
  std::vector<UpdateRecord> prerequisites;
  std::vector<UpdateRecord> updates;
};

// Reads the sections of a message that passed validate(); throws a dns Error
// (FORMERR) when a record cannot be read.
UpdateMessage parse_update(std::span<const std::uint8_t> wire, const Packet& packet);

} // namespace dockerops::dns
