#include "dns/server/reply.hpp"

#include <algorithm>
#include <cstring>

namespace dockerops::dns {

std::size_t write_opt(std::uint8_t* p, std::uint16_t rcode, bool dnssec_ok) {
  p[0] = 0;
  put16(p + 1, rr_type::opt);
  put16(p + 3, static_cast<std::uint16_t>(k_edns_payload));
  p[5] = static_cast<std::uint8_t>(rcode >> 4);
  p[6] = 0;
  p[7] = dnssec_ok ? 0x80 : 0;
  p[8] = 0;
  put16(p + 9, 0);
  return k_opt_size;
}

std::size_t write_error_reply(std::span<const std::uint8_t> wire, const Packet& packet, std::uint16_t rcode,
                              std::span<std::uint8_t> reply) {
  std::uint8_t* p = reply.data();
  std::size_t pos = k_header_size;
  std::uint16_t counts[4] = {0, 0, 0, 0};
  if (packet.has_question && packet.question_end <= wire.size() &&
      packet.question_end < reply.size() - k_opt_size) {
    std::memcpy(p + pos, wire.data() + k_header_size, packet.question_end - k_header_size);
    pos = packet.question_end;
    counts[0] = 1;
  }
  if (packet.has_opt) {
    pos += write_opt(p + pos, rcode, packet.dnssec_ok);
    counts[3] = 1;
  }
  write_header(p, packet, rcode, false, counts);
  return pos;
}

std::size_t write_single_answer(std::span<const std::uint8_t> wire, const Packet& packet,
                                std::string_view fragment, std::size_t limit, std::span<std::uint8_t> reply) {
  std::uint8_t* p = reply.data();
  std::size_t pos = packet.question_end;
  std::memcpy(p + k_header_size, wire.data() + k_header_size, pos - k_header_size);
  std::uint16_t counts[4] = {1, 0, 0, 0};
  const std::size_t cap = std::min(limit, reply.size());
  const std::size_t opt = packet.has_opt ? k_opt_size : 0;
  const std::size_t room = cap > opt ? cap - opt : 0;
  const bool fits = pos + 2 + fragment.size() <= room;
  if (fits) {
    put16(p + pos, 0xc000 | k_header_size);
    std::memcpy(p + pos + 2, fragment.data(), fragment.size());
    pos += 2 + fragment.size();
    counts[1] = 1;
  }
  if (packet.has_opt) {
    pos += write_opt(p + pos, rcode::noerror, packet.dnssec_ok);
    counts[3] = 1;
  }
  write_header(p, packet, rcode::noerror, true, counts);
  if (!fits)
    p[2] |= flag::tc >> 8;
  return pos;
}

} // namespace dockerops::dns
