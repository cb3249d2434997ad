#pragma once

// Writing replies from a validated query (wire.hpp's Packet): the header, the
// OPT record and the replies that carry no zone data. Shared by the query,
// transfer and forwarding paths.

#include "dns/proto/record.hpp"
#include "dns/proto/wire.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace dockerops::dns {

// Largest UDP reply we send with EDNS (DNS flag day 2020 value) and without.
inline constexpr std::size_t k_edns_payload = 1232;
inline constexpr std::size_t k_classic_udp_payload = 512;

// The largest reply a client's transport takes: 65535 bytes over TCP; over UDP its EDNS payload
// size within [512, k_edns_payload], or 512 without EDNS (RFC 1035 §4.2.1, RFC 6891 §6.2.5).
inline std::size_t reply_limit(const Packet& packet, bool tcp) {
  if (tcp)
    return k_max_message_size;
  return packet.has_opt ? std::clamp<std::size_t>(packet.udp_payload, k_classic_udp_payload, k_edns_payload)
                        : k_classic_udp_payload;
}

// The size of the OPT record write_opt() appends.
inline constexpr std::size_t k_opt_size = 11;

// Writes the OPT record we append to replies (RFC 6891 §6.1.2) at `p`: root owner, our payload
// size (k_edns_payload), extended rcode, version 0, DO copied from the query (RFC 3225 §3).
// Returns k_opt_size.
std::size_t write_opt(std::uint8_t* p, std::uint16_t rcode, bool dnssec_ok);
// Writes the reply header at `p`: the query's ID, opcode, RD and CD, QR=1,
// AA when `aa`, `rcode`'s low 4 bits and the four section counts.
// Inline: every answer writes one.
inline void write_header(std::uint8_t* p, const Packet& packet, std::uint16_t rcode, bool aa,
                         const std::uint16_t counts[4]) {
  put16(p, packet.header.id);
  std::uint16_t flags =
      static_cast<std::uint16_t>(flag::qr | (packet.header.flags & (0x7800 | flag::rd | flag::cd)) |
                                 (aa ? flag::aa : 0) | (rcode & 0x0f));
  put16(p + 2, flags);
  for (int i = 0; i < 4; ++i)
    put16(p + 4 + 2 * i, counts[i]);
}

// Writes an error reply: the query's ID, opcode and RD, QR=1, `rcode`, the
// question when `packet.has_question`, and an OPT record when the query had
// one (extended rcode bits for BADVERS). Returns the size. Used for FORMERR,
// NOTIMP, REFUSED, SERVFAIL and BADVERS by the query, forward and update paths.
std::size_t write_error_reply(std::span<const std::uint8_t> wire, const Packet& packet, std::uint16_t rcode,
                              std::span<std::uint8_t> reply);

// Writes an authoritative NOERROR reply with the question and one answer RR
// owned by the QNAME (`fragment` = TYPE CLASS TTL RDLENGTH RDATA), plus an OPT
// when the query had one; the question alone with TC when it passes `limit`.
// Returns the size. The IXFR "you are current" SOA (RFC 1995 §2) uses it.
std::size_t write_single_answer(std::span<const std::uint8_t> wire, const Packet& packet,
                                std::string_view fragment, std::size_t limit, std::span<std::uint8_t> reply);

} // namespace dockerops::dns
