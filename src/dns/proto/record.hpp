#pragma once

// The vocabulary every DNS module shares: RR type and class codes and one
// resource record in owned wire form.

#include "dns/proto/wire_name.hpp"

#include <cstdint>
#include <string>

namespace dockerops::dns {

// RR type codes used by name in dockerops (RFC 1035 §3.2.2, RFC 3596, RFC 2782,
// RFC 6891, RFC 8945, RFC 1995).
namespace rr_type {
inline constexpr std::uint16_t a = 1;
inline constexpr std::uint16_t ns = 2;
inline constexpr std::uint16_t cname = 5;
inline constexpr std::uint16_t soa = 6;
inline constexpr std::uint16_t ptr = 12;
inline constexpr std::uint16_t mx = 15;
inline constexpr std::uint16_t txt = 16;
inline constexpr std::uint16_t aaaa = 28;
inline constexpr std::uint16_t srv = 33;
inline constexpr std::uint16_t dname = 39;
inline constexpr std::uint16_t ds = 43;
inline constexpr std::uint16_t opt = 41;
inline constexpr std::uint16_t tsig = 250;
inline constexpr std::uint16_t ixfr = 251;
inline constexpr std::uint16_t axfr = 252;
inline constexpr std::uint16_t any = 255;
} // namespace rr_type

// Classes (RFC 1035 §3.2.4, RFC 2136 §1.3).
inline constexpr std::uint16_t k_class_in = 1;
inline constexpr std::uint16_t k_class_none = 254;
inline constexpr std::uint16_t k_class_any = 255;

// One resource record of class IN in owned wire form; the unit of zone files,
// updates and journals. Names inside rdata are uncompressed.
struct Record {
  WireName owner; // canonical wire form
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  std::string rdata; // wire bytes, uncompressed
  bool operator==(const Record&) const = default;
};

// The server's own name in its zone (dns.<zone>, docs/decisions.md 14), A and PTR.
inline constexpr const char* k_default_self_name = "dns";

} // namespace dockerops::dns
