// The answer from one zone (RFC 1034 §4.3.2): an exact match, a CNAME chain inside the zone,
// wildcard synthesis (RFC 4592), a referral at a zone cut (step 3b, RFC 9471 for glue), or a
// negative answer (RFC 2308), with the addresses of the names NS, MX and SRV answers point to.
// Records are copied from pre-built fragments behind a compression
// pointer to a name already in the message; the ordinary answer pays one test for delegations
// and nothing for wildcards, which are looked at only when a name does not exist.

#include "dns/proto/rdata.hpp"
#include "dns/server/query.hpp"
#include "dns/server/reply.hpp"

#include <algorithm>
#include <cstring>

namespace dockerops::dns {

namespace {

// Records appended to a reply under construction, within `room` bytes.
struct Sections {
  std::uint8_t* out;
  std::size_t room;
  std::size_t pos;
  std::uint16_t counts[4] = {1, 0, 0, 0};
  bool overflow = false;

  // Appends RR i of `set` owned by the name `owner` points at; on overflow writes nothing, sets
  // `overflow` and returns false. `ttl` replaces the TTL unless UINT32_MAX.
  bool append(const RRset& set, std::size_t i, std::uint16_t owner, int section,
              std::uint32_t ttl = UINT32_MAX) {
    std::string_view frag = set.fragment(i);
    if (pos + 2 + frag.size() > room) {
      overflow = true;
      return false;
    }
    put16(out + pos, owner);
    std::memcpy(out + pos + 2, frag.data(), frag.size());
    if (ttl != UINT32_MAX)
      put32(out + pos + 6, ttl);
    pos += 2 + frag.size();
    ++counts[section];
    return true;
  }

  // Appends the whole set, starting at a rotating index (round-robin spreads clients).
  // The RRs of `set` from the next rotation start; at most `most` of them (0 = all).
  void append_set(const RRset& set, std::uint16_t owner, int section, std::uint32_t& rotation,
                  std::size_t most = 0) {
    const std::size_t n = set.size();
    const std::size_t start = n > 1 ? rotation++ % n : 0;
    const std::size_t count = most > 0 && most < n ? most : n;
    for (std::size_t k = 0; k < count && !overflow; ++k)
      append(set, (start + k) % n, owner, section);
  }
};

// A compression pointer to `offset`, or 0 when the offset is beyond a pointer's reach.
std::uint16_t pointer_to(std::size_t offset) {
  return offset < 0x4000 ? static_cast<std::uint16_t>(0xc000 | offset) : 0;
}

// Appends the A and AAAA records of the names the RRs written at [first, end) point to (the name
// at `offset` in their rdata), for the names that are in `zone`. With a `cut` (a referral), the
// names at or below it are glue that must fit, else the reply is truncated (RFC 9471); every
// other address is added while it fits (RFC 1035 §4.3.2 step 6 "additional section processing",
// and sibling glue). Without a cut, names below a delegation are skipped (not our data).
void add_addresses(const Zone& zone, Sections& s, std::size_t first, std::size_t end, std::size_t offset,
                   const WireName* cut, WireName& scratch) {
  // Each RR: a 2-byte owner pointer, TYPE CLASS TTL RDLENGTH (10 bytes), then its rdata.
  for (std::size_t at = first; at < end; at += 12 + get16(s.out + at + 10)) {
    const std::size_t rdlength = get16(s.out + at + 10);
    if (rdlength <= offset)
      continue;
    scratch.assign(reinterpret_cast<const char*>(s.out + at + 12 + offset), rdlength - offset);
    canonicalize(scratch);
    const bool required = cut && is_subdomain(scratch, *cut);
    const std::uint16_t owner = pointer_to(at + 12 + offset);
    if (owner == 0 || !zone.in_zone(scratch) || (!cut && zone.has_cuts() && zone.cut_of(scratch)))
      continue;
    for (std::uint16_t type : {rr_type::a, rr_type::aaaa}) {
      const RRset* set = zone.find(scratch, type);
      for (std::size_t i = 0; set && i < set->size(); ++i) {
        if (s.append(*set, i, owner, 3))
          continue;
        if (!required)
          s.overflow = false; // optional: stop adding
        return;
      }
    }
  }
}

// Additional section processing when the answer written at [first, s.pos) is NS, MX or SRV
// (the caller has ruled out the common A and AAAA).
[[gnu::noinline]] void add_target_addresses(const Zone& zone, std::uint16_t type, Sections& s,
                                            std::size_t first, WireName& scratch) {
  if (type == rr_type::ns || type == rr_type::mx || type == rr_type::srv)
    add_addresses(zone, s, first, s.pos, rdata_layout(type).prefix, nullptr, scratch);
}

// The referral to the delegation at `cut` (RFC 1034 §4.3.2 step 3b; also after a CNAME whose
// target lies below the cut, as Knot does): the cut's NS RRset in the authority section, then
// the addresses of the name servers that lie in our zone.
void refer(const Zone& zone, const WireName& cut, std::uint16_t cut_owner, Sections& s,
           std::uint32_t& rotation, WireName& scratch) {
  const std::size_t first = s.pos;
  s.append_set(*zone.find(cut, rr_type::ns), cut_owner, 2, rotation);
  if (!s.overflow)
    add_addresses(zone, s, first, s.pos, 0, &cut, scratch);
}

} // namespace

const Node* QueryEngine::wildcard_source(const Zone& zone, std::string_view name) {
  for (std::string_view up = parent_name(name);; up = parent_name(up)) {
    if (zone.find_node(up)) { // the closest encloser (empty non-terminals exist as nodes)
      m_scratch.assign("\1*", 2);
      m_scratch.append(up);
      return zone.find_node(m_scratch);
    }
    if (up.size() <= zone.origin().size())
      return nullptr;
  }
}

bool QueryEngine::follow(const Zone& zone, std::string_view target, int hop) {
  m_chain[static_cast<std::size_t>(hop)].assign(m_name);
  m_name.assign(target);
  canonicalize(m_name);
  const auto end = m_chain.begin() + hop + 1;
  // A loop stops at its first repeat (RFC 1034 §3.6.2); out of zone: the resolver follows.
  return std::find(m_chain.begin(), end, m_name) == end && zone.in_zone(m_name);
}

std::size_t QueryEngine::answer(const Zone& zone, std::span<const std::uint8_t> wire, const Packet& packet,
                                std::size_t limit, std::span<std::uint8_t> reply, std::size_t addresses) {
  Sections s{reply.data(), limit - (packet.has_opt ? k_opt_size : 0), packet.question_end};
  std::memcpy(s.out + k_header_size, wire.data() + k_header_size, s.pos - k_header_size);
  std::uint16_t rcode = rcode::noerror;
  bool authoritative = true;
  bool negative = false;
  std::uint16_t owner = 0xc000 | k_header_size; // the name being looked up, inside the message
  for (int hop = 0; hop <= k_max_cname_hops && !s.overflow; ++hop) {
    if (zone.has_cuts()) [[unlikely]] {
      // The parent answers DS at the cut itself (RFC 4035 §3.1.4.1).
      if (const WireName* cut = zone.cut_of(m_name, hop > 0 || packet.qtype != rr_type::ds)) {
        // The cut is a suffix of the name being looked up, which `owner` points at (the
        // question, or a CNAME's uncompressed target): the referral's owner points into it.
        const std::size_t suffix = (owner & 0x3fff) + m_name.size() - cut->size();
        refer(zone, *cut, static_cast<std::uint16_t>(0xc000 | suffix), s, m_rotation, m_scratch);
        authoritative = hop > 0; // after a CNAME the answer holds authoritative data
        break;
      }
    }
    const Node* node = zone.find_node(m_name);
    if (!node) [[unlikely]]
      node = wildcard_source(zone, m_name); // synthesised under the name asked for (RFC 4592 §3.4)
    if (!node) {
      rcode = rcode::nxdomain; // RFC 6604: the rcode describes the last name
      negative = true;
      break;
    }
    if (packet.qtype == rr_type::any) {
      for (const RRset& set : node->rrsets())
        s.append_set(set, owner, 1, m_rotation);
      negative = !node->has_data();
      break;
    }
    if (const RRset* set = node->find(packet.qtype)) {
      const std::size_t first = s.pos;
      const bool address = packet.qtype == rr_type::a || packet.qtype == rr_type::aaaa;
      s.append_set(*set, owner, 1, m_rotation, address ? addresses : 0);
      if (!address && !s.overflow) [[unlikely]]
        add_target_addresses(zone, packet.qtype, s, first, m_scratch);
      break;
    }
    const RRset* cname = node->find(rr_type::cname);
    if (!cname) {
      negative = true; // NODATA (also for empty non-terminals, RFC 8020)
      break;
    }
    const std::size_t rr_at = s.pos;
    if (!s.append(*cname, 0, owner, 1))
      break;
    if (!follow(zone, cname->rdata(0), hop) || pointer_to(rr_at + 12) == 0)
      break;
    owner = pointer_to(rr_at + 12); // the target inside the CNAME rdata
  }
  if (negative && !s.overflow) {
    // RFC 2308 §3: SOA in authority with TTL min(SOA TTL, MINIMUM); its owner
    // points at the zone's suffix inside the question name.
    if (const RRset* soa = zone.soa()) {
      const std::size_t suffix = k_header_size + packet.qname_length - zone.origin().size();
      s.append(*soa, 0, static_cast<std::uint16_t>(0xc000 | suffix), 2, zone.negative_ttl());
    }
  }
  if (s.overflow) {
    // RFC 2181 §9: set TC and send what fits; here the question alone so the
    // client retries over TCP (RFC 7766).
    s.pos = packet.question_end;
    s.counts[1] = s.counts[2] = s.counts[3] = 0;
  }
  if (packet.has_opt) {
    s.pos += write_opt(s.out + s.pos, rcode::noerror, packet.dnssec_ok);
    s.counts[3] = static_cast<std::uint16_t>(s.counts[3] + 1);
  }
  write_header(s.out, packet, rcode, authoritative, s.counts);
  if (s.overflow)
    s.out[2] |= flag::tc >> 8;
  return s.pos;
}

} // namespace dockerops::dns
