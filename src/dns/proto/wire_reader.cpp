#include "dns/proto/wire_reader.hpp"

#include "base/error.hpp"
#include "dns/proto/rdata.hpp"

namespace dockerops::dns::wire_reader {

std::uint16_t get16(std::span<const std::uint8_t> w, std::size_t pos) {
  if (pos + 2 > w.size())
    fail(ErrorKind::dns, "message truncated at offset {}", pos);
  return dns::get16(w.data() + pos);
}

std::uint32_t get32(std::span<const std::uint8_t> w, std::size_t pos) {
  if (pos + 4 > w.size())
    fail(ErrorKind::dns, "message truncated at offset {}", pos);
  return dns::get32(w.data() + pos);
}

WireName read_name(std::span<const std::uint8_t> w, std::size_t& pos) {
  WireName name;
  std::size_t at = pos;
  bool jumped = false;
  int hops = 0;
  while (true) {
    if (at >= w.size())
      fail(ErrorKind::dns, "name runs past the end of the message");
    std::uint8_t len = w[at];
    if ((len & 0xc0) == 0xc0) {
      if (at + 1 >= w.size() || ++hops > k_max_pointer_hops)
        fail(ErrorKind::dns, "bad compression pointer");
      std::size_t target = static_cast<std::size_t>((len & 0x3f) << 8 | w[at + 1]);
      if (target >= at || target < k_header_size)
        fail(ErrorKind::dns, "compression pointer does not point backwards");
      if (!jumped)
        pos = at + 2;
      jumped = true;
      at = target;
      continue;
    }
    if (len & 0xc0)
      fail(ErrorKind::dns, "reserved label type");
    if (at + 1 + len > w.size())
      fail(ErrorKind::dns, "label runs past the end of the message");
    name.push_back(static_cast<char>(len));
    for (std::size_t i = 0; i < len; ++i) {
      char c = static_cast<char>(w[at + 1 + i]);
      name.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    }
    if (name.size() > k_max_name_length)
      fail(ErrorKind::dns, "name longer than 255 octets");
    at += 1 + len;
    if (len == 0)
      break;
  }
  if (!jumped)
    pos = at;
  return name;
}

std::uint16_t skip_record(std::span<const std::uint8_t> w, std::size_t& pos) {
  read_name(w, pos);
  std::uint16_t type = get16(w, pos);
  std::uint16_t rdlen = get16(w, pos + 8);
  pos += 10 + rdlen;
  if (pos > w.size())
    fail(ErrorKind::dns, "record data runs past the end of the message");
  return type;
}

namespace {

// Rdata with the names of rdata_layout() made uncompressed and lowercase (RFC
// 3597 §4; RFC 4034 §6.2 canonical form); the rest must have its type's length.
std::string read_rdata(std::span<const std::uint8_t> w, std::size_t start, std::size_t end,
                       std::uint16_t type) {
  auto raw = [&](std::size_t from, std::size_t to) {
    return std::string(reinterpret_cast<const char*>(w.data() + from), to - from);
  };
  if (start == end)
    return {};
  if (type == rr_type::a && end - start != 4)
    fail(ErrorKind::dns, "A record with {} bytes of rdata", end - start);
  if (type == rr_type::aaaa && end - start != 16)
    fail(ErrorKind::dns, "AAAA record with {} bytes of rdata", end - start);
  const RdataLayout layout = rdata_layout(type);
  if (layout.names == 0)
    return raw(start, end);
  if (end - start < layout.prefix)
    fail(ErrorKind::dns, "record data of type {} has the wrong length", type);
  std::span<const std::uint8_t> bounded = w.subspan(0, end);
  std::size_t pos = start + layout.prefix;
  std::string out = raw(start, pos);
  for (int i = 0; i < layout.names; ++i)
    out += read_name(bounded, pos); // one statement per read: `pos` moves
  if (end - pos != layout.suffix)
    fail(ErrorKind::dns, "record data of type {} has the wrong length", type);
  out += raw(pos, end);
  return out;
}

} // namespace

WireRecord read_record(std::span<const std::uint8_t> w, std::size_t& pos) {
  WireRecord r;
  r.rr.owner = read_name(w, pos);
  r.rr.type = get16(w, pos);
  r.rclass = get16(w, pos + 2);
  r.rr.ttl = get32(w, pos + 4);
  std::uint16_t rdlen = get16(w, pos + 8);
  pos += 10;
  if (pos + rdlen > w.size())
    fail(ErrorKind::dns, "record data runs past the end of the message");
  r.rr.rdata = read_rdata(w, pos, pos + rdlen, r.rr.type);
  pos += rdlen;
  return r;
}

} // namespace dockerops::dns::wire_reader
