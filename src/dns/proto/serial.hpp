#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace dockerops::dns {

// Serial number arithmetic (RFC 1982 §3.2, §3.1 with SERIAL_BITS = 32), used
// for the SOA serial of RFC 2136 §3.6.

// True when a is greater than b in sequence space (undefined pairs are false).
constexpr bool serial_gt(std::uint32_t a, std::uint32_t b) {
  return (a < b && b - a > 0x80000000u) || (a > b && a - b < 0x80000000u);
}

// a + n for 0 <= n <= 2^31 - 1; wraps modulo 2^32 (RFC 1982 §3.1).
constexpr std::uint32_t serial_add(std::uint32_t a, std::uint32_t n) {
  return a + n;
}

// Offset of the SERIAL field in SOA rdata (RFC 1035 §3.3.13): after MNAME and
// RNAME, uncompressed. nullopt when the rdata is too short for the 20 octets of
// SERIAL REFRESH RETRY EXPIRE MINIMUM.
std::optional<std::size_t> soa_serial_offset(std::string_view rdata);

// The SERIAL of SOA rdata; 0 when the rdata is malformed.
std::uint32_t soa_serial(std::string_view rdata);

} // namespace dockerops::dns
