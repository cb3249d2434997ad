#include "dns/proto/serial.hpp"

#include "dns/proto/bytes.hpp"
#include "dns/proto/rdata.hpp"

namespace dockerops::dns {

std::optional<std::size_t> soa_serial_offset(std::string_view rdata) {
  std::size_t pos = 0;
  for (int names = 0; names < 2; ++names) {
    const std::size_t length = name_length(rdata, pos);
    if (length == 0)
      return std::nullopt;
    pos += length;
  }
  if (pos + 20 > rdata.size())
    return std::nullopt;
  return pos;
}

std::uint32_t soa_serial(std::string_view rdata) {
  std::optional<std::size_t> at = soa_serial_offset(rdata);
  return at ? get32(rdata, *at) : 0;
}

} // namespace dockerops::dns
