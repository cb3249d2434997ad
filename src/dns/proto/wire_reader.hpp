#pragma once

#include "dns/proto/record.hpp"
#include "dns/proto/wire.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace dockerops::dns {

// Small bounds-checked readers for the update path. Every failure throws a dns
// Error (the caller answers FORMERR); compression pointers must point strictly
// backwards and are followed at most 128 times (dns-server-notes.md §7 pitfall 1).
namespace wire_reader {

std::uint16_t get16(std::span<const std::uint8_t> w, std::size_t pos);
std::uint32_t get32(std::span<const std::uint8_t> w, std::size_t pos);

// Reads a possibly compressed name at `pos` into canonical (lowercase) wire
// form and moves `pos` past it.
WireName read_name(std::span<const std::uint8_t> w, std::size_t& pos);

// One RR as read from a message: its class is kept apart because updates use
// ANY and NONE (RFC 2136 §2.4, §2.5). Names inside rdata of the RFC 1035 types
// that may be compressed (NS, CNAME, SOA, PTR, MX) and SRV are decompressed and
// lowercased so that rdata compares byte-wise with the zone's.
struct WireRecord {
  Record rr;
  std::uint16_t rclass = 0;
};

// Reads one RR at `pos` and moves `pos` past it.
WireRecord read_record(std::span<const std::uint8_t> w, std::size_t& pos);

// Skips one RR at `pos`; returns its type.
std::uint16_t skip_record(std::span<const std::uint8_t> w, std::size_t& pos);

} // namespace wire_reader
} // namespace dockerops::dns
