#include "dns/proto/serial.hpp"

#include "dns/proto/bytes.hpp"

namespace dockerops::dns {

std::optional<std::size_t> soa_serial_offset(std::string_view rdata) {
  std::size_t pos = 0;
  for (int names = 0; names < 2; ++names) {
    while (pos < rdata.size() && rdata[pos] != 0)
      pos += static_cast<unsigned char>(rdata[pos]) + 1;
    ++pos;
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
