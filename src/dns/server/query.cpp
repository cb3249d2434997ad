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
    // NOTIMP; signed when the message carries a valid TSIG (RFC 8945 §5.3).
    if (header.counts[3] != 0 && validate(wire, packet).ok() && packet.has_tsig)
      return handle_signed(wire, tcp, may_forward, packet, reply, reply_size);
    packet = Packet{};
    packet.header = header;
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
  std::size_t limit = k_max_message_size;
  if (!tcp)
    limit = packet.has_opt
                ? std::clamp<std::size_t>(packet.udp_payload, k_classic_udp_payload, k_edns_payload)
                : k_classic_udp_payload;
  limit = std::min(limit, reply.size());
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
  reply_size = answer(*snapshot(store), wire, packet, limit, reply);
  return Action::reply;
}

std::size_t QueryEngine::answer(const Zone& zone, std::span<const std::uint8_t> wire, const Packet& packet,
                                std::size_t limit, std::span<std::uint8_t> reply) {
  std::uint8_t* out = reply.data();
  const std::size_t room = limit - (packet.has_opt ? k_opt_size : 0);
  std::size_t pos = packet.question_end;
  std::memcpy(out + k_header_size, wire.data() + k_header_size, pos - k_header_size);
  std::uint16_t counts[4] = {1, 0, 0, 0};
  std::uint16_t rcode = rcode::noerror;
  bool overflow = false;

  // Appends RR i of `set` with a 2-byte compression pointer as owner.
  auto append = [&](const RRset& set, std::size_t i, std::uint16_t owner, std::uint32_t ttl_override,
                    int section) {
    std::string_view frag = set.fragment(i);
    if (pos + 2 + frag.size() > room) {
      overflow = true;
      return;
    }
    put16(out + pos, owner);
    std::memcpy(out + pos + 2, frag.data(), frag.size());
    if (ttl_override != UINT32_MAX) {
      put16(out + pos + 6, static_cast<std::uint16_t>(ttl_override >> 16));
      put16(out + pos + 8, static_cast<std::uint16_t>(ttl_override));
    }
    pos += 2 + frag.size();
    ++counts[section];
  };
  auto append_set = [&](const RRset& set, std::uint16_t owner) {
    std::size_t n = set.size();
    std::size_t start = n > 1 ? m_rotation++ % n : 0; // round-robin spreads clients
    for (std::size_t k = 0; k < n && !overflow; ++k)
      append(set, (start + k) % n, owner, UINT32_MAX, 1);
  };

  std::uint16_t owner = 0xc000 | k_header_size;
  bool negative = false;
  for (int hop = 0; hop <= k_max_cname_hops && !overflow; ++hop) {
    const Node* node = zone.find_node(m_name);
    if (!node) {
      rcode = rcode::nxdomain; // RFC 6604: the rcode describes the last name
      negative = true;
      break;
    }
    if (packet.qtype == rr_type::any) {
      for (const RRset& set : node->rrsets())
        append_set(set, owner);
      negative = !node->has_data();
      break;
    }
    if (const RRset* set = node->find(packet.qtype)) {
      append_set(*set, owner);
      break;
    }
    const RRset* cname = node->find(rr_type::cname);
    if (!cname) {
      negative = true; // NODATA (also for empty non-terminals, RFC 8020)
      break;
    }
    std::size_t rr_at = pos;
    append(*cname, 0, owner, UINT32_MAX, 1);
    std::string_view target = cname->rdata(0);
    if (overflow || !zone.in_zone(canonical(target)) || rr_at + 12 >= 0x4000)
      break; // out-of-zone target: the resolver follows it
    m_name.assign(target);
    canonicalize(m_name);
    owner = static_cast<std::uint16_t>(0xc000 | (rr_at + 12)); // the target inside the CNAME rdata
  }
  if (negative && !overflow) {
    // RFC 2308 §3: SOA in authority with TTL min(SOA TTL, MINIMUM); its owner
    // points at the zone's suffix inside the question name.
    if (const RRset* soa = zone.soa()) {
      std::size_t suffix = k_header_size + packet.qname_length - zone.origin().size();
      append(*soa, 0, static_cast<std::uint16_t>(0xc000 | suffix), zone.negative_ttl(), 2);
    }
  }
  std::uint16_t flags_rcode = rcode;
  if (overflow) {
    // RFC 2181 §9: set TC and send what fits; here the question alone so the
    // client retries over TCP (RFC 7766).
    pos = packet.question_end;
    counts[1] = counts[2] = 0;
  }
  if (packet.has_opt) {
    pos += write_opt(out + pos, rcode::noerror, packet.dnssec_ok);
    counts[3] = 1;
  }
  write_header(out, packet, flags_rcode, true, counts);
  if (overflow)
    out[2] |= flag::tc >> 8;
  return pos;
}

} // namespace dockerops::dns
