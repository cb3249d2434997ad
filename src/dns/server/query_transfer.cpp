// AXFR (RFC 5936) and IXFR (RFC 1995) queries: who may transfer, which zone,
// over which transport. The messages themselves are written by the TCP thread
// with a TransferWriter (transfer.hpp).
//
// Decisions where the RFCs leave room:
//  - Access (RFC 5936 §6 leaves it to local policy): a valid TSIG with a
//    --key-file key, as for updates. Unsigned → REFUSED, as BIND answers a
//    transfer its ACL denies; bad key, signature or time → NOTAUTH with the
//    TSIG error (RFC 8945 §5.2), the same as any signed query.
//  - A name that is not the origin of a zone we serve → NOTAUTH (RFC 5936
//    §2.2.1), signed.
//  - AXFR over UDP → NOTIMP: RFC 5936 §4.2 leaves it undefined.
//  - IXFR (RFC 1995): no incremental history is served. Over TCP the whole
//    zone in AXFR form (§4), or the SOA alone when the client's serial is
//    current (§2); over UDP always the SOA alone (§2: the client is current,
//    or must ask again over TCP). No SOA in the authority section → FORMERR (§3).

#include "dns/proto/serial.hpp"
#include "dns/proto/tsig.hpp"
#include "dns/server/query.hpp"

namespace dockerops::dns {

namespace {

// The serial of the client's SOA in the authority section of an IXFR query
// (RFC 1995 §3), or nullopt when there is none.
std::optional<std::uint32_t> client_serial(std::span<const std::uint8_t> wire, const Packet& packet,
                                           const WireName& origin) {
  RecordReader reader(wire, packet);
  RecordView rr;
  WireName owner;
  while (reader.next(rr)) {
    if (rr.section != 2 || rr.type != rr_type::soa)
      continue;
    std::size_t pos = rr.owner_offset;
    if (!read_name(wire, pos, owner) || owner != origin)
      continue;
    std::string rdata = expand_rdata(wire, rr);
    if (rdata.size() < 20)
      continue;
    return get32(reinterpret_cast<const std::uint8_t*>(rdata.data()) + rdata.size() - 20);
  }
  return std::nullopt;
}

} // namespace

Action QueryEngine::answer_transfer(std::span<const std::uint8_t> wire, bool tcp, const Packet& packet,
                                    const TsigCheck* signer, std::size_t limit, std::span<std::uint8_t> reply,
                                    std::size_t& reply_size) {
  auto error = [&](std::uint16_t rcode) {
    reply_size = write_error_reply(wire, packet, rcode, reply);
    return Action::reply;
  };
  if (!signer)
    return error(rcode::refused);
  m_name.assign(reinterpret_cast<const char*>(wire.data() + k_header_size), packet.qname_length);
  canonicalize(m_name);
  const ZoneStore* store = m_zones.find_exact(m_name);
  if (!store)
    return error(rcode::notauth);
  std::shared_ptr<const Zone> zone = store->snapshot(); // one version for the whole transfer
  const RRset* soa = zone->soa();
  if (!soa)
    return error(rcode::servfail);
  if (packet.qtype == rr_type::ixfr) {
    std::optional<std::uint32_t> serial = client_serial(wire, packet, m_name);
    if (!serial)
      return error(rcode::formerr);
    if (!serial_gt(zone->serial(), *serial) || !tcp) {
      reply_size = write_single_answer(wire, packet, soa->fragment(0), limit, reply);
      return Action::reply;
    }
  } else if (!tcp) {
    return error(rcode::notimp);
  }
  TransferRequest request;
  request.zone = std::move(zone);
  request.key = *signer->key;
  request.request_mac = signer->record->mac;
  request.id = packet.header.id;
  request.flags = packet.header.flags;
  request.question.assign(reinterpret_cast<const char*>(wire.data() + k_header_size),
                          packet.question_end - k_header_size);
  request.opt = packet.has_opt;
  request.dnssec_ok = packet.dnssec_ok;
  m_transfer = std::move(request);
  return Action::transfer;
}

} // namespace dockerops::dns
