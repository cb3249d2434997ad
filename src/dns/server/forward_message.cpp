// The messages of forwarding: what goes upstream for a client's query, and what goes back to the
// client. EDNS is hop by hop (RFC 6891 §6.1.1: an OPT record is never forwarded): upstream gets
// our OPT, the client gets its own view of EDNS (our OPT when it sent one, none otherwise) and a
// reply that fits its transport.

#include "dns/server/forward.hpp"

#include "dns/server/reply.hpp"

#include <cstring>

namespace dockerops::dns {

std::vector<std::uint8_t> upstream_query(std::span<const std::uint8_t> query, const Packet& packet,
                                         std::uint16_t id) {
  std::vector<std::uint8_t> out(packet.question_end + k_opt_size);
  put16(out.data(), id);
  // Opcode, RD and CD of the client; AD too (RFC 6840 §5.7: the client wants to know).
  put16(out.data() + 2, packet.header.flags & (0x7800 | flag::rd | flag::cd | flag::ad));
  put16(out.data() + 4, 1);
  put16(out.data() + 10, 1);
  std::memcpy(out.data() + k_header_size, query.data() + k_header_size, packet.question_end - k_header_size);
  write_opt(out.data() + packet.question_end, rcode::noerror, packet.dnssec_ok);
  return out;
}

std::optional<std::vector<std::uint8_t>> client_reply(std::span<const std::uint8_t> upstream,
                                                      std::span<const std::uint8_t> query,
                                                      const Packet& packet, std::size_t limit) {
  // validate() refuses responses (QR=1); the same rules hold for this one with QR cleared.
  if (upstream.size() < k_header_size || !(upstream[2] & 0x80))
    return std::nullopt;
  std::vector<std::uint8_t> copy(upstream.begin(), upstream.end());
  copy[2] &= 0x7f;
  Packet reply;
  if (!validate(copy, reply).ok() || !reply.has_question || reply.question_end != packet.question_end)
    return std::nullopt;
  std::uint16_t counts[4] = {1, reply.header.counts[1], reply.header.counts[2], reply.header.counts[3]};
  // The upstream's OPT goes, and whatever follows it (a TSIG of the upstream's, or records that
  // later names could point into) with it.
  std::size_t end = upstream.size();
  if (reply.has_opt || reply.has_tsig) {
    end = reply.has_opt ? reply.opt_offset : reply.tsig_offset;
    RecordReader records(copy, reply);
    RecordView rr;
    std::uint16_t kept = 0;
    while (records.next(rr))
      kept = static_cast<std::uint16_t>(kept + (rr.section == 3 && rr.offset < end ? 1 : 0));
    counts[3] = kept;
  }
  if (reply.extended_rcode != 0)
    return std::nullopt; // BADVERS, BADCOOKIE...: about our exchange with the upstream, not the client's
  std::vector<std::uint8_t> out(end + (packet.has_opt ? k_opt_size : 0));
  std::memcpy(out.data(), upstream.data(), end);
  // The client's ID and question as it sent them (0x20 case included). Recursion was available
  // to this client, and the answer is no longer authoritative once relayed (RFC 1035 §4.1.1).
  std::memcpy(out.data(), query.data(), 2);
  put16(out.data() + 2, static_cast<std::uint16_t>((get16(out.data() + 2) | flag::ra) & ~flag::aa));
  std::memcpy(out.data() + k_header_size, query.data() + k_header_size, packet.question_end - k_header_size);
  const bool fits = out.size() <= limit;
  if (!fits) {
    // RFC 2181 §9: TC with the question alone; the client asks again over TCP.
    out.resize(packet.question_end + (packet.has_opt ? k_opt_size : 0));
    counts[1] = counts[2] = counts[3] = 0;
    out[2] |= flag::tc >> 8;
  }
  if (packet.has_opt) {
    write_opt(out.data() + out.size() - k_opt_size, rcode::noerror, packet.dnssec_ok);
    ++counts[3];
  }
  for (int i = 0; i < 4; ++i)
    put16(out.data() + 4 + 2 * i, counts[i]);
  return out;
}

} // namespace dockerops::dns
