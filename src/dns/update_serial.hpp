#pragma once

#include <cstdint>

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

} // namespace dockerops::dns
