#include "dns/proto/wire.hpp"

#include "dns/proto/rdata.hpp"
#include "dns/proto/record.hpp"

namespace dockerops::dns {

Header read_header(std::span<const std::uint8_t> wire) {
  const std::uint8_t* p = wire.data();
  Header h;
  h.id = get16(p);
  h.flags = get16(p + 2);
  for (int i = 0; i < 4; ++i)
    h.counts[i] = get16(p + 4 + 2 * i);
  return h;
}

std::size_t check_name(std::span<const std::uint8_t> wire, std::size_t& pos, std::size_t limit) {
  const std::uint8_t* data = wire.data();
  const std::size_t size = wire.size();
  std::size_t p = pos;
  std::size_t segment_start = pos; // pointers must land strictly before this
  std::size_t in_place_end = 0;    // set at the first pointer
  std::size_t length = 1;          // the root label
  int hops = 0;
  for (;;) {
    std::size_t end = in_place_end ? size : limit;
    if (p >= end)
      return 0;
    std::uint8_t c = data[p];
    if (c == 0) {
      if (!in_place_end)
        in_place_end = p + 1;
      break;
    }
    if ((c & 0xc0) == 0xc0) {
      if (p + 1 >= end)
        return 0;
      std::size_t target = static_cast<std::size_t>(((c & 0x3f) << 8) | data[p + 1]);
      // Strictly backward (before the segment being read, so every hop moves
      // further back and loops are impossible) and never into the header.
      if (target < k_header_size || target >= segment_start || ++hops > k_max_pointer_hops)
        return 0;
      if (!in_place_end)
        in_place_end = p + 2;
      p = target;
      segment_start = target;
      continue;
    }
    if (c & 0xc0)
      return 0; // 0x40 / 0x80: reserved label types (RFC 6891 §5 retired 0x40)
    length += c + 1u;
    if (length > k_max_name_length || p + 1 + c > end)
      return 0;
    p += c + 1u;
  }
  pos = in_place_end;
  return length;
}

namespace {

// Validates the names inside rdata of types whose rdata carries names.
bool check_rdata(std::span<const std::uint8_t> wire, std::uint16_t type, std::size_t begin, std::size_t end) {
  if (begin == end)
    return true; // empty rdata: UPDATE deletes and prerequisites
  std::size_t pos = begin;
  auto name = [&] { return check_name(wire, pos, end) != 0; };
  switch (type) {
  case rr_type::a:
    return end - begin == 4;
  case rr_type::aaaa:
    return end - begin == 16;
  case rr_type::txt:
    while (pos < end)
      pos += 1u + wire[pos];
    return pos == end;
  default:
    break;
  }
  const RdataLayout layout = rdata_layout(type);
  if (layout.names == 0)
    return true;
  pos += layout.prefix;
  for (int i = 0; i < layout.names; ++i)
    if (pos >= end || !name())
      return false;
  return pos + layout.suffix == end;
}

// EDNS options are TLVs that must tile the OPT rdata exactly (RFC 6891 §6.1.2).
bool check_options(std::span<const std::uint8_t> wire, std::size_t pos, std::size_t end) {
  while (pos < end) {
    if (pos + 4 > end)
      return false;
    pos += 4u + get16(wire.data() + pos + 2);
  }
  return pos == end;
}

} // namespace

Validation validate(std::span<const std::uint8_t> wire, Packet& out) {
  out = Packet{};
  if (wire.size() < k_header_size)
    return {Verdict::drop, "shorter than a header"};
  out.header = read_header(wire);
  out.size = wire.size();
  if (out.header.qr())
    return {Verdict::drop, "QR=1 (a response)"};
  if (wire.size() > k_max_message_size)
    return {Verdict::formerr, "message longer than 65535 octets"};
  const std::uint8_t* data = wire.data();
  const std::size_t size = wire.size();
  std::size_t pos = k_header_size;

  out.section_begin[0] = pos;
  const std::uint8_t op = out.header.opcode();
  if ((op == opcode::query || op == opcode::update) && out.header.counts[0] != 1)
    return {Verdict::formerr, op == opcode::update ? "ZOCOUNT is not 1" : "QDCOUNT is not 1"};
  for (unsigned i = 0; i < out.header.counts[0]; ++i) {
    std::size_t start = pos;
    std::size_t length = check_name(wire, pos, size);
    if (!length)
      return {Verdict::formerr, "bad name in question"};
    if (pos + 4 > size)
      return {Verdict::formerr, "question cut short"};
    if (i == 0) {
      out.qname_length = length;
      out.qname_compressed = (pos - start) != length;
      out.qtype = get16(data + pos);
      out.qclass = get16(data + pos + 2);
      out.question_end = pos + 4;
      out.has_question = out.header.counts[0] == 1;
    }
    pos += 4;
  }

  for (int section = 1; section <= 3; ++section) {
    out.section_begin[section] = pos;
    const unsigned count = out.header.counts[section];
    for (unsigned i = 0; i < count; ++i) {
      std::size_t start = pos;
      if (!check_name(wire, pos, size))
        return {Verdict::formerr, "bad owner name"};
      if (pos + 10 > size)
        return {Verdict::formerr, "record header cut short"};
      std::uint16_t type = get16(data + pos);
      std::uint16_t rclass = get16(data + pos + 2);
      std::uint32_t ttl = get32(data + pos + 4);
      std::size_t rdlength = get16(data + pos + 8);
      pos += 10;
      if (pos + rdlength > size)
        return {Verdict::formerr, "RDLENGTH past the end"};
      if (type == rr_type::opt) {
        if (section != 3)
          return {Verdict::formerr, "OPT outside the additional section"};
        if (out.has_opt)
          return {Verdict::formerr, "more than one OPT record"};
        if (pos - 10 - start != 1 || data[start] != 0)
          return {Verdict::formerr, "OPT owner is not the root"};
        if (!check_options(wire, pos, pos + rdlength))
          return {Verdict::formerr, "malformed EDNS options"};
        out.has_opt = true;
        out.opt_offset = start;
        out.udp_payload = rclass;
        out.extended_rcode = static_cast<std::uint8_t>(ttl >> 24);
        out.edns_version = static_cast<std::uint8_t>(ttl >> 16);
        out.dnssec_ok = ttl & 0x8000;
      } else if (type == rr_type::tsig) {
        if (section != 3 || i + 1 != count)
          return {Verdict::formerr, "TSIG is not the last record"};
        if (rdlength == 0)
          return {Verdict::formerr, "empty TSIG rdata"};
        out.has_tsig = true;
        out.tsig_offset = start;
      } else if (!check_rdata(wire, type, pos, pos + rdlength)) {
        return {Verdict::formerr, "rdata inconsistent with its type"};
      }
      pos += rdlength;
    }
  }
  out.section_begin[4] = pos;
  if (pos != size)
    return {Verdict::formerr, "trailing bytes after the last record"};
  return {};
}

bool read_name(std::span<const std::uint8_t> wire, std::size_t& pos, WireName& out, bool lowercase) {
  std::size_t check = pos;
  if (!check_name(wire, check, wire.size()))
    return false;
  out.clear();
  std::size_t p = pos;
  for (;;) {
    std::uint8_t c = wire[p];
    if (c == 0)
      break;
    if ((c & 0xc0) == 0xc0) {
      p = static_cast<std::size_t>(((c & 0x3f) << 8) | wire[p + 1]);
      continue;
    }
    out.push_back(static_cast<char>(c));
    out.append(reinterpret_cast<const char*>(wire.data() + p + 1), c);
    p += c + 1u;
  }
  out.push_back('\0');
  if (lowercase)
    canonicalize(out);
  pos = check;
  return true;
}

RecordReader::RecordReader(std::span<const std::uint8_t> wire, const Packet& packet)
    : m_wire(wire), m_pos(packet.section_begin[1]) {
  for (int i = 0; i < 4; ++i)
    m_left[i] = packet.header.counts[i];
}

bool RecordReader::next(RecordView& rr) {
  while (m_section <= 3 && m_left[m_section] == 0)
    ++m_section;
  if (m_section > 3)
    return false;
  --m_left[m_section];
  rr.section = m_section;
  rr.offset = rr.owner_offset = m_pos;
  if (!check_name(m_wire, m_pos, m_wire.size()) || m_pos + 10 > m_wire.size())
    return false;
  const std::uint8_t* p = m_wire.data() + m_pos;
  rr.type = get16(p);
  rr.rclass = get16(p + 2);
  rr.ttl = get32(p + 4);
  rr.rdlength = get16(p + 8);
  rr.rdata_offset = m_pos + 10;
  m_pos = rr.rdata_offset + rr.rdlength;
  return m_pos <= m_wire.size();
}

std::string expand_rdata(std::span<const std::uint8_t> wire, const RecordView& rr, bool lowercase_names) {
  const std::size_t begin = rr.rdata_offset;
  const std::size_t end = begin + rr.rdlength;
  auto raw = [&](std::size_t from, std::size_t to) {
    return std::string(reinterpret_cast<const char*>(wire.data() + from), to - from);
  };
  if (rr.rdlength == 0)
    return {};
  const RdataLayout layout = rdata_layout(rr.type);
  if (layout.names == 0 || rr.rdlength < layout.prefix)
    return raw(begin, end);
  std::string out = raw(begin, begin + layout.prefix);
  std::size_t pos = begin + layout.prefix;
  WireName name;
  for (int i = 0; i < layout.names; ++i) {
    if (!read_name(wire, pos, name, lowercase_names))
      return raw(begin, end);
    out += name;
  }
  out += raw(pos, end);
  return out;
}

} // namespace dockerops::dns
