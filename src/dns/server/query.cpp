#include "dns/server/query.hpp"

#include "dns/proto/tsig.hpp"
#include "dns/server/reply.hpp"

#include <algorithm>
#include <cstring>

namespace dockerops::dns {

TransferRequest QueryEngine::take_transfer() {
  TransferRequest request = std::move(*m_transfer);
  m_transfer.reset();
  return request;
}

QueryEngine::QueryEngine(const ZoneSet& zones) : m_zones(zones) {
  m_name.reserve(k_max_name_length);
}

const Zone* QueryEngine::snapshot(const ZoneStore* store) {
  for (auto& c : m_cache) {
    if (c.store != store)
      continue;
    std::uint64_t generation = store->generation();
    if (generation != c.generation) {
      c.zone = store->snapshot();
      c.generation = generation;
    }
    return c.zone.get();
  }
  std::uint64_t generation = store->generation();
  m_cache.push_back(Cached{store, generation, store->snapshot()});
  return m_cache.back().zone.get();
}

Action QueryEngine::handle(std::span<const std::uint8_t> wire, bool tcp, bool may_forward, Packet& packet,
                           std::span<std::uint8_t> reply, std::size_t& reply_size) {
  if (wire.size() < k_header_size)
    return Action::drop;
  const Header header = read_header(wire);
  if (header.qr())
    return Action::drop; // never answer responses: no reflection loops
  const std::uint8_t op = header.opcode();
  if (op != opcode::query && op != opcode::update) {
    // NOTIMP with the question and an OPT when the message is well formed (RFC 6891 §7);
    // signed when it carries a valid TSIG (RFC 8945 §5.3).
    if (validate(wire, packet).ok()) {
      if (packet.has_tsig)
        return handle_signed(wire, tcp, may_forward, packet, reply, reply_size);
    } else {
      packet = Packet{};
      packet.header = header;
    }
    reply_size = write_error_reply(wire, packet, rcode::notimp, reply);
    return Action::reply;
  }
  Validation v = validate(wire, packet);
  if (v.verdict == Verdict::drop)
    return Action::drop;
  if (v.verdict == Verdict::formerr) {
    packet.has_opt = false; // the OPT may be the broken part
    reply_size = write_error_reply(wire, packet, rcode::formerr, reply);
    return Action::reply;
  }
  if (op == opcode::update) {
    if (m_updates_enabled)
      return Action::update;
    reply_size = write_error_reply(wire, packet, rcode::notimp, reply);
    return Action::reply;
  }
  // validate() found the TSIG (last and unique, RFC 8945 §5.1): only then
  // the slow path, so unsigned queries pay one flag test.
  if (packet.has_tsig) [[unlikely]]
    return handle_signed(wire, tcp, may_forward, packet, reply, reply_size);
  return answer_query(wire, tcp, may_forward, packet, nullptr, reply, reply_size);
}

Action QueryEngine::answer_query(std::span<const std::uint8_t> wire, bool tcp, bool may_forward,
                                 const Packet& packet, const TsigCheck* signer, std::span<std::uint8_t> reply,
                                 std::size_t& reply_size) {
  if (packet.has_opt && packet.edns_version > 0) {
    // RFC 6891 §6.1.3: BADVERS, no question needed; we echo it anyway.
    reply_size = write_error_reply(wire, packet, rcode::badvers, reply);
    return Action::reply;
  }
  if (packet.qclass != k_class_in) {
    reply_size = write_error_reply(wire, packet, rcode::refused, reply);
    return Action::reply;
  }
  std::size_t limit = std::min(reply_limit(packet, tcp), reply.size());
  const std::size_t reserve = signer ? tsig_record_size(*signer->key) : 0;
  limit = limit > reserve ? limit - reserve : 0; // a huge key name: TC with the question alone
  switch (packet.qtype) {
  case rr_type::axfr:
  case rr_type::ixfr:
    return answer_transfer(wire, tcp, packet, signer, limit, reply, reply_size);
  case rr_type::opt:
  case rr_type::tsig:
  case 249: // TKEY
    reply_size = write_error_reply(wire, packet, rcode::formerr, reply);
    return Action::reply;
  default:
    break;
  }
  // The question name is never compressed after validation (a pointer must
  // point before offset 12), so it is copied straight from the wire.
  m_name.assign(reinterpret_cast<const char*>(wire.data() + k_header_size), packet.qname_length);
  canonicalize(m_name);
  const ZoneStore* store = m_zones.find(m_name);
  if (!store) {
    if (may_forward && packet.header.rd())
      return Action::forward;
    reply_size = write_error_reply(wire, packet, rcode::refused, reply);
    return Action::reply;
  }
  const bool classic = !tcp && !packet.has_opt;
  reply_size = answer(*snapshot(store), wire, packet, limit, reply, classic ? m_classic_answer_limit : 0);
  return Action::reply;
}

} // namespace dockerops::dns
