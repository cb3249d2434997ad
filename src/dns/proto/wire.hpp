#pragma once

// Wire-format validation and reading of DNS messages (RFC 1035 §4.1).
//
// Every message is validated here before anything else looks at it (the query
// path, the update path, and ldns in slow paths): ldns 1.8.3 accepts several
// malformed messages and burns 335 µs on a self-referencing compression
// pointer (dns-server-notes.md §7). The rules:
//  - at least a 12-byte header; section counts must match the data exactly;
//    no trailing bytes;
//  - names: labels <= 63, names <= 255 octets uncompressed, label types
//    0x40/0x80 rejected, compression pointers strictly backward, never into
//    the header (target >= 12), at most k_max_pointer_hops hops;
//  - RDLENGTH within the message; A needs RDLENGTH 4 and AAAA 16 unless empty
//    (empty rdata is legal in UPDATE deletes and prerequisites);
//    names inside NS/CNAME/PTR/MX/SOA/SRV rdata are validated and must end
//    inside the rdata;
//  - at most one OPT, owner root, in the additional section (RFC 6891 §6.1.1);
//    TSIG only as the very last record and only once (RFC 8945 §5.1);
//  - QDCOUNT (ZOCOUNT for UPDATE) must be exactly 1 for QUERY and UPDATE.

#include "dns/proto/bytes.hpp"
#include "dns/proto/wire_name.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dockerops::dns {

// Header opcodes (RFC 1035 §4.1.1, RFC 1996, RFC 2136).
namespace opcode {
inline constexpr std::uint8_t query = 0;
inline constexpr std::uint8_t iquery = 1;
inline constexpr std::uint8_t status = 2;
inline constexpr std::uint8_t notify = 4;
inline constexpr std::uint8_t update = 5;
} // namespace opcode

// Response codes (RFC 1035 §4.1.1, RFC 2136 §2.2, RFC 6891 §9 for BADVERS,
// whose upper 8 bits travel in the OPT TTL).
namespace rcode {
inline constexpr std::uint16_t noerror = 0;
inline constexpr std::uint16_t formerr = 1;
inline constexpr std::uint16_t servfail = 2;
inline constexpr std::uint16_t nxdomain = 3;
inline constexpr std::uint16_t notimp = 4;
inline constexpr std::uint16_t refused = 5;
inline constexpr std::uint16_t yxdomain = 6;
inline constexpr std::uint16_t yxrrset = 7;
inline constexpr std::uint16_t nxrrset = 8;
inline constexpr std::uint16_t notauth = 9;
inline constexpr std::uint16_t notzone = 10;
inline constexpr std::uint16_t badvers = 16;
} // namespace rcode

// Header flag bits in the second 16-bit word.
namespace flag {
inline constexpr std::uint16_t qr = 0x8000;
inline constexpr std::uint16_t aa = 0x0400;
inline constexpr std::uint16_t tc = 0x0200;
inline constexpr std::uint16_t rd = 0x0100;
inline constexpr std::uint16_t ra = 0x0080;
inline constexpr std::uint16_t ad = 0x0020;
inline constexpr std::uint16_t cd = 0x0010;
} // namespace flag

inline constexpr std::size_t k_header_size = 12;
inline constexpr std::size_t k_max_message_size = 65535;
// Compression pointers followed per name before giving up (a bound on CPU per hostile packet:
// docs/dns-implementation.md §hostile).
inline constexpr int k_max_pointer_hops = 128;

// The fixed 12-byte header. counts[0..3] = QD/ZO, AN/PR, NS/UP, AR/AD.
struct Header {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  std::uint16_t counts[4] = {0, 0, 0, 0};

  bool qr() const { return flags & flag::qr; }
  std::uint8_t opcode() const { return static_cast<std::uint8_t>((flags >> 11) & 0x0f); }
  bool rd() const { return flags & flag::rd; }
};

// Reads the header; the caller guarantees wire.size() >= 12.
Header read_header(std::span<const std::uint8_t> wire);

// What the server does with a message that failed validation.
enum class Verdict {
  ok,      // valid
  drop,    // no reply: shorter than a header, or QR=1 (never answer responses)
  formerr, // reply FORMERR echoing ID and opcode (and the question if it parsed)
};

// Where things are in a validated message, so later stages never re-parse
// blindly. Offsets index the original wire bytes.
struct Packet {
  Header header;
  std::size_t size = 0;
  // The first section's single entry: the question (QUERY) or zone (UPDATE).
  bool has_question = false;
  std::size_t qname_length = 0; // uncompressed wire length of QNAME
  std::size_t question_end = 0; // offset just past QTYPE/QCLASS
  std::uint16_t qtype = 0;
  std::uint16_t qclass = 0;
  bool qname_compressed = false; // QNAME uses a pointer (legal only in theory)
  // Offset where each section starts (sections 0..3); section_begin[4] = size.
  std::size_t section_begin[5] = {0, 0, 0, 0, 0};
  // EDNS(0) OPT pseudo-RR (RFC 6891 §6.1.2, §6.1.3).
  bool has_opt = false;
  std::size_t opt_offset = 0;
  std::uint16_t udp_payload = 0; // requestor's UDP payload size (OPT CLASS)
  std::uint8_t edns_version = 0;
  std::uint8_t extended_rcode = 0;
  bool dnssec_ok = false;
  // TSIG (RFC 8945): always the last record when present.
  bool has_tsig = false;
  std::size_t tsig_offset = 0;
};

// Result of validate(): the verdict plus a short reason for logs and tests.
struct Validation {
  Verdict verdict = Verdict::ok;
  const char* reason = "";
  bool ok() const { return verdict == Verdict::ok; }
};

// Validates a whole message (rules in the file comment) and fills `out`.
// Allocation-free; cost is linear in the message size.
Validation validate(std::span<const std::uint8_t> wire, Packet& out);

// Skips a name at `pos` (updating pos past its in-place encoding) while
// checking every rule above. Returns the uncompressed length, or 0 when
// invalid. `limit` is the end of the area the name must start in (the RR or
// the message).
std::size_t check_name(std::span<const std::uint8_t> wire, std::size_t& pos, std::size_t limit);

// Reads a name of a validated message at `pos` (advancing pos past its
// in-place encoding) into uncompressed wire form, lowercased when
// `lowercase`. Returns false on an invalid name (never trust unvalidated wire).
bool read_name(std::span<const std::uint8_t> wire, std::size_t& pos, WireName& out, bool lowercase = true);

// One record of a validated message (sections 1..3).
struct RecordView {
  int section = 0;              // 1 = answer/prerequisite, 2 = authority/update, 3 = additional
  std::size_t offset = 0;       // first byte of the owner name
  std::size_t owner_offset = 0; // same as offset (kept for readability)
  std::uint16_t type = 0;
  std::uint16_t rclass = 0;
  std::uint32_t ttl = 0;
  std::size_t rdata_offset = 0;
  std::uint16_t rdlength = 0;
};

// Iterates the records of a validated message in wire order, OPT and TSIG
// included (check view.type). Usage:
//   RecordReader reader(wire, packet);
//   RecordView rr;
//   while (reader.next(rr)) { ... }
class RecordReader {
public:
  RecordReader(std::span<const std::uint8_t> wire, const Packet& packet);
  bool next(RecordView& rr);

private:
  std::span<const std::uint8_t> m_wire;
  std::size_t m_pos;
  int m_section = 1;
  std::size_t m_left[4];
};

// The rdata of a record with the names of rdata_layout() decompressed (RFC
// 3597 §4), lowercased when `lowercase_names`. Other types are copied verbatim.
std::string expand_rdata(std::span<const std::uint8_t> wire, const RecordView& rr,
                         bool lowercase_names = false);

} // namespace dockerops::dns
