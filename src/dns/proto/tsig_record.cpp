// The TSIG record on the wire (RFC 8945 §4.2): finding and decoding it as the last additional
// record of a message, strictly (anything malformed is FORMERR), and appending one when signing.
#include "dns/proto/tsig.hpp"

#include "base/error.hpp"
#include "dns/proto/wire.hpp"
#include "dns/proto/wire_reader.hpp"

namespace dockerops::dns {
namespace {

constexpr std::uint16_t k_type_tsig = rr_type::tsig;
using wire_reader::get16;
using wire_reader::read_name;

} // namespace

std::optional<TsigRecord> tsig_find(std::span<const std::uint8_t> wire) {
  if (wire.size() < k_header_size)
    fail(ErrorKind::dns, "tsig: message shorter than a header");
  std::size_t pos = k_header_size;
  std::uint16_t qd = get16(wire, 4), an = get16(wire, 6), ns = get16(wire, 8), ar = get16(wire, 10);
  for (unsigned i = 0; i < qd; ++i) {
    read_name(wire, pos);
    pos += 4;
    if (pos > wire.size())
      fail(ErrorKind::dns, "tsig: question runs past the end of the message");
  }
  for (unsigned i = 0; i < static_cast<unsigned>(an) + ns; ++i)
    if (wire_reader::skip_record(wire, pos) == k_type_tsig)
      fail(ErrorKind::dns, "tsig: TSIG record outside the additional section");
  std::size_t last = pos;
  std::uint16_t last_type = 0;
  for (unsigned i = 0; i < ar; ++i) {
    if (last_type == k_type_tsig)
      fail(ErrorKind::dns, "tsig: TSIG record is not the last record");
    last = pos;
    last_type = wire_reader::skip_record(wire, pos);
  }
  if (pos != wire.size())
    fail(ErrorKind::dns, "tsig: trailing bytes after the last record");
  if (ar == 0 || last_type != k_type_tsig)
    return std::nullopt;

  TsigRecord t;
  t.offset = last;
  pos = last;
  t.key_name = read_name(wire, pos);
  if (get16(wire, pos + 2) != k_class_any || get16(wire, pos + 4) != 0 || get16(wire, pos + 6) != 0)
    fail(ErrorKind::dns, "tsig: TSIG record must have class ANY and TTL 0");
  std::size_t rdend = pos + 10 + get16(wire, pos + 8);
  pos += 10;
  // The algorithm name must not be compressed (RFC 8945 §4.2); read_name
  // would follow a pointer, so refuse one explicitly.
  std::size_t alg_start = pos;
  t.algorithm = read_name(wire, pos);
  for (std::size_t p = alg_start; p < pos; p += 1 + wire[p])
    if (wire[p] & 0xc0)
      fail(ErrorKind::dns, "tsig: compressed algorithm name");
  if (pos + 10 > rdend)
    fail(ErrorKind::dns, "tsig: TSIG record data too short");
  t.time_signed = 0;
  for (int i = 0; i < 6; ++i) // 48-bit time, decoded by hand (ldns cannot: docs/dns-implementation.md §ldns)
    t.time_signed = (t.time_signed << 8) | wire[pos + static_cast<std::size_t>(i)];
  t.fudge = get16(wire, pos + 6);
  std::uint16_t mac_size = get16(wire, pos + 8);
  pos += 10;
  if (pos + mac_size + 6 > rdend)
    fail(ErrorKind::dns, "tsig: TSIG MAC runs past the record");
  t.mac.assign(reinterpret_cast<const char*>(wire.data() + pos), mac_size);
  pos += mac_size;
  t.original_id = get16(wire, pos);
  t.error = get16(wire, pos + 2);
  std::uint16_t other_len = get16(wire, pos + 4);
  pos += 6;
  if (pos + other_len != rdend)
    fail(ErrorKind::dns, "tsig: TSIG record length mismatch");
  t.other.assign(reinterpret_cast<const char*>(wire.data() + pos), other_len);
  return t;
}

void tsig_append_record(std::vector<std::uint8_t>& wire, const TsigRecord& t) {
  if (wire.size() < k_header_size)
    fail(ErrorKind::internal, "tsig: signing a message shorter than a header");
  std::uint16_t arcount = get16(wire, 10);
  std::vector<std::uint8_t> rdata;
  append_bytes(rdata, t.algorithm);
  append48(rdata, t.time_signed);
  append16(rdata, t.fudge);
  append16(rdata, static_cast<std::uint16_t>(t.mac.size()));
  append_bytes(rdata, t.mac);
  append16(rdata, t.original_id);
  append16(rdata, t.error);
  append16(rdata, static_cast<std::uint16_t>(t.other.size()));
  append_bytes(rdata, t.other);
  // Owner = key name, class ANY, TTL 0 (RFC 8945 §4.2), last in the additional section.
  append_bytes(wire, t.key_name);
  append16(wire, k_type_tsig);
  append16(wire, k_class_any);
  append16(wire, 0);
  append16(wire, 0);
  append16(wire, static_cast<std::uint16_t>(rdata.size()));
  wire.insert(wire.end(), rdata.begin(), rdata.end());
  wire[10] = static_cast<std::uint8_t>((arcount + 1) >> 8);
  wire[11] = static_cast<std::uint8_t>(arcount + 1);
}

} // namespace dockerops::dns
