#include "dns/update/message.hpp"

#include "base/error.hpp"

namespace dockerops::dns {

UpdateMessage parse_update(std::span<const std::uint8_t> wire, const Packet& packet) {
  UpdateMessage m;
  if (packet.header.counts[0] != 1)
    fail(ErrorKind::dns, "zone section must hold exactly one entry");
  std::size_t pos = k_header_size;
  m.zone = wire_reader::read_name(wire, pos);
  m.zone_type = wire_reader::get16(wire, pos);
  m.zone_class = wire_reader::get16(wire, pos + 2);
  pos += 4;
  for (unsigned i = 0; i < packet.header.counts[1]; ++i)
    m.prerequisites.push_back(wire_reader::read_record(wire, pos));
  for (unsigned i = 0; i < packet.header.counts[2]; ++i)
    m.updates.push_back(wire_reader::read_record(wire, pos));
  return m;
}

} // namespace dockerops::dns
