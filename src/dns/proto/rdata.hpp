#pragma once

// The layout of rdata that carries domain names, and what follows from it:
// where the names are (for decompression, compression and comparison) and when
// two rdata are the same record (RFC 2136 §1.1, RFC 4343: names compare
// without regard to ASCII case).

#include "dns/proto/record.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dockerops::dns {

// `prefix` fixed octets, then `names` domain names, then exactly `suffix` fixed
// octets (SOA's five numbers); {0, 0, 0} for types without names. `compress`:
// the names may be compressed on the wire (the RFC 1035 types only, RFC 3597
// §4); others (SRV, RFC 2782; DNAME, RFC 6672 §2.5) are still decompressed
// when read, as robust receivers do.
struct RdataLayout {
  std::size_t prefix = 0;
  int names = 0;
  std::size_t suffix = 0;
  bool compress = false;
};

// NS, CNAME, PTR, DNAME, MX, SRV and SOA (inline: the wire validator asks per record).
constexpr RdataLayout rdata_layout(std::uint16_t type) {
  switch (type) {
  case rr_type::ns:
  case rr_type::cname:
  case rr_type::ptr:
    return {0, 1, 0, true};
  case rr_type::dname:
    return {0, 1, 0, false};
  case rr_type::mx:
    return {2, 1, 0, true};
  case rr_type::srv:
    return {6, 1, 0, false};
  case rr_type::soa:
    return {0, 2, 20, true};
  default:
    return {};
  }
}

// Length of the uncompressed name at `pos` of owned rdata (root label
// included), or 0 when it is malformed or runs past the end.
std::size_t name_length(std::string_view rdata, std::size_t pos);

// Lowercases the names of rdata_layout(type) in uncompressed rdata (RFC 4034
// §6.2 canonical form), leaving every other byte alone; malformed rdata is left
// as it is.
void canonicalize_rdata(std::uint16_t type, std::string& rdata);

// Whether two uncompressed rdata of `type` are the same: byte-wise, except the
// names of rdata_layout(type), which compare without regard to ASCII case.
bool rdata_equal(std::uint16_t type, std::string_view a, std::string_view b);

} // namespace dockerops::dns
