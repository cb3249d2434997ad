// The wire validator against the hostile inputs of dns-server-notes.md §5 and
// §6.5, as byte literals.

#include "base/error.hpp"
#include "dns/proto/wire.hpp"
#include "dns/zone/zone.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dockerops::dns {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Header: ID 0x1234, RD, given opcode and counts.
Bytes header(std::uint16_t qd, std::uint16_t an = 0, std::uint16_t ns = 0, std::uint16_t ar = 0,
             std::uint8_t op = 0) {
  return Bytes{0x12,
               0x34,
               static_cast<std::uint8_t>(0x01 | (op << 3)),
               0x00,
               0,
               static_cast<std::uint8_t>(qd),
               0,
               static_cast<std::uint8_t>(an),
               0,
               static_cast<std::uint8_t>(ns),
               0,
               static_cast<std::uint8_t>(ar)};
}

void append(Bytes& b, std::initializer_list<std::uint8_t> more) {
  b.insert(b.end(), more);
}

// "www.example." IN A
void question(Bytes& b) {
  append(b, {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1});
}

void opt(Bytes& b, std::uint8_t version = 0) {
  append(b, {0, 0, 41, 0x10, 0x00, 0, version, 0, 0, 0, 0});
}

Validation check(const Bytes& b) {
  Packet p;
  return validate(b, p);
}

TEST(DnsWire, AcceptsAPlainQuery) {
  Bytes b = header(1);
  question(b);
  Packet p;
  ASSERT_TRUE(validate(b, p).ok());
  EXPECT_TRUE(p.has_question);
  EXPECT_EQ(p.qtype, rr_type::a);
  EXPECT_EQ(p.qclass, k_class_in);
  EXPECT_EQ(p.qname_length, 13u);
  EXPECT_EQ(p.question_end, b.size());
  EXPECT_FALSE(p.has_opt);
}

TEST(DnsWire, ReadsEdns) {
  Bytes b = header(1, 0, 0, 1);
  question(b);
  append(b, {0, 0, 41, 0x04, 0xd0, 0, 1, 0x80, 0, 0, 0});
  Packet p;
  ASSERT_TRUE(validate(b, p).ok());
  EXPECT_TRUE(p.has_opt);
  EXPECT_EQ(p.udp_payload, 1232);
  EXPECT_EQ(p.edns_version, 1);
  EXPECT_TRUE(p.dnssec_ok);
}

TEST(DnsWire, DropsShortMessagesAndResponses) {
  EXPECT_EQ(check({}).verdict, Verdict::drop);
  EXPECT_EQ(check({1, 2, 3, 4, 5}).verdict, Verdict::drop);
  Bytes b = header(1);
  question(b);
  b[2] |= 0x80; // QR=1
  EXPECT_EQ(check(b).verdict, Verdict::drop);
}

TEST(DnsWire, RejectsMissingOrTruncatedQuestions) {
  EXPECT_EQ(check(header(1)).verdict, Verdict::formerr); // QDCOUNT=1, no question
  Bytes cut = header(1);
  append(cut, {3, 'w', 'w'}); // cut mid-label
  EXPECT_EQ(check(cut).verdict, Verdict::formerr);
  Bytes no_type = header(1);
  append(no_type, {3, 'w', 'w', 'w', 0, 0}); // QTYPE half there, no QCLASS
  EXPECT_EQ(check(no_type).verdict, Verdict::formerr);
  Bytes past = header(1);
  append(past, {60, 'a', 'b'}); // label running past the end
  EXPECT_EQ(check(past).verdict, Verdict::formerr);
}

TEST(DnsWire, RejectsBadCompressionPointers) {
  Bytes self = header(1);
  append(self, {0xc0, 12, 0, 1, 0, 1}); // pointer to itself
  EXPECT_EQ(check(self).verdict, Verdict::formerr);
  Bytes into_header = header(1);
  append(into_header, {0xc0, 2, 0, 1, 0, 1});
  EXPECT_EQ(check(into_header).verdict, Verdict::formerr);
  Bytes beyond = header(1);
  append(beyond, {0xc0, 200, 0, 1, 0, 1});
  EXPECT_EQ(check(beyond).verdict, Verdict::formerr);
  // Forward pointer from an answer owner to later bytes.
  Bytes forward = header(1, 1);
  question(forward);
  append(forward, {0xc0, 60, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1});
  EXPECT_EQ(check(forward).verdict, Verdict::formerr);
  // Two pointers A -> B -> A (a loop through two names) in the answer section.
  Bytes loop = header(1, 2);
  question(loop);
  std::size_t a = loop.size();
  append(loop, {0xc0, static_cast<std::uint8_t>(a + 16), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1});
  append(loop, {0xc0, static_cast<std::uint8_t>(a), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 2});
  EXPECT_EQ(check(loop).verdict, Verdict::formerr);
}

TEST(DnsWire, AcceptsBackwardPointers) {
  Bytes b = header(1, 1);
  question(b);
  append(b, {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1});
  b[2] = 0x28; // opcode UPDATE so a record section is plausible; validation is opcode-blind
  EXPECT_TRUE(check(b).ok());
}

TEST(DnsWire, RejectsOverlongNamesAndLabels) {
  Bytes b = header(1);
  for (int i = 0; i < 5; ++i) { // 5 * 64 + 1 = 321 octets
    b.push_back(63);
    b.insert(b.end(), 63, 'a');
  }
  append(b, {0, 0, 1, 0, 1});
  EXPECT_EQ(check(b).verdict, Verdict::formerr);
  Bytes label = header(1);
  label.push_back(64); // 0x40 is also the reserved extended label type
  label.insert(label.end(), 64, 'a');
  append(label, {0, 0, 1, 0, 1});
  EXPECT_EQ(check(label).verdict, Verdict::formerr);
}

TEST(DnsWire, RejectsReservedLabelTypes) {
  Bytes b40 = header(1);
  append(b40, {0x41, 'x', 0, 0, 1, 0, 1});
  EXPECT_EQ(check(b40).verdict, Verdict::formerr);
  Bytes b80 = header(1);
  append(b80, {0x81, 'x', 0, 0, 1, 0, 1});
  EXPECT_EQ(check(b80).verdict, Verdict::formerr);
}

TEST(DnsWire, RequiresExactlyOneQuestion) {
  Bytes two = header(2);
  question(two);
  question(two);
  EXPECT_EQ(check(two).verdict, Verdict::formerr);
  Bytes none = header(0);
  EXPECT_EQ(check(none).verdict, Verdict::formerr);
  Bytes zocount = header(2, 0, 0, 0, 5); // UPDATE with ZOCOUNT=2
  question(zocount);
  question(zocount);
  EXPECT_STREQ(check(zocount).reason, "ZOCOUNT is not 1");
}

TEST(DnsWire, RejectsCountsLargerThanData) {
  Bytes b = header(1, 0, 0, 5);
  question(b);
  EXPECT_EQ(check(b).verdict, Verdict::formerr);
}

TEST(DnsWire, RejectsTrailingGarbage) {
  Bytes b = header(1);
  question(b);
  append(b, {0xde, 0xad, 0xbe, 0xef});
  EXPECT_STREQ(check(b).reason, "trailing bytes after the last record");
}

TEST(DnsWire, RejectsDuplicateOrMisplacedOpt) {
  Bytes two = header(1, 0, 0, 2);
  question(two);
  opt(two);
  opt(two);
  EXPECT_STREQ(check(two).reason, "more than one OPT record");
  Bytes owner = header(1, 0, 0, 1);
  question(owner);
  append(owner, {1, 'x', 0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, 0, 0});
  EXPECT_STREQ(check(owner).reason, "OPT owner is not the root");
  Bytes answer = header(1, 1);
  question(answer);
  opt(answer);
  EXPECT_EQ(check(answer).verdict, Verdict::formerr);
  Bytes bad_option = header(1, 0, 0, 1);
  question(bad_option);
  append(bad_option, {0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, 0, 3, 0, 10, 0}); // option cut short
  EXPECT_STREQ(check(bad_option).reason, "malformed EDNS options");
}

// A minimal TSIG RR: owner "k.", class ANY, TTL 0, rdata of `len` zero bytes.
void tsig(Bytes& b, std::uint8_t len = 4) {
  append(b, {1, 'k', 0, 0, 250, 0, 255, 0, 0, 0, 0, 0, len});
  b.insert(b.end(), len, 0);
}

TEST(DnsWire, RequiresTsigLastAndUnique) {
  Bytes last = header(1, 0, 0, 2);
  question(last);
  opt(last);
  tsig(last);
  Packet p;
  ASSERT_TRUE(validate(last, p).ok());
  EXPECT_TRUE(p.has_tsig);
  EXPECT_TRUE(p.has_opt);
  Bytes not_last = header(1, 0, 0, 2);
  question(not_last);
  tsig(not_last);
  opt(not_last);
  EXPECT_STREQ(check(not_last).reason, "TSIG is not the last record");
  Bytes twice = header(1, 0, 0, 2);
  question(twice);
  tsig(twice);
  tsig(twice);
  EXPECT_STREQ(check(twice).reason, "TSIG is not the last record");
  Bytes in_answer = header(1, 1);
  question(in_answer);
  tsig(in_answer);
  EXPECT_EQ(check(in_answer).verdict, Verdict::formerr);
}

TEST(DnsWire, ChecksRdlengthAndTypedRdata) {
  Bytes past = header(1, 1, 0, 0, 5);
  question(past);
  append(past, {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 40, 10, 0});
  EXPECT_STREQ(check(past).reason, "RDLENGTH past the end");
  Bytes a5 = header(1, 1, 0, 0, 5);
  question(a5);
  append(a5, {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 10, 0, 0, 1, 2});
  EXPECT_STREQ(check(a5).reason, "rdata inconsistent with its type");
  Bytes empty = header(1, 1, 0, 0, 5); // class ANY delete: empty rdata is fine
  question(empty);
  append(empty, {0xc0, 12, 0, 1, 0, 255, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(check(empty).ok());
  Bytes cname = header(1, 1, 0, 0, 5); // CNAME rdata whose name runs out of the rdata
  question(cname);
  append(cname, {0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 3, 3, 'a', 'b', 'c', 0});
  EXPECT_EQ(check(cname).verdict, Verdict::formerr);
}

TEST(DnsWire, RejectsRandomBytesAndCapsHops) {
  // 4,000 bytes of a fixed pseudo-random pattern: never valid, never slow.
  Bytes b(4000);
  std::uint32_t x = 12345;
  for (auto& c : b) {
    x = x * 1103515245 + 12345;
    c = static_cast<std::uint8_t>(x >> 16);
  }
  b[2] &= 0x7f; // QR=0 so it is validated, not dropped
  EXPECT_NE(check(b).verdict, Verdict::ok);
  // A chain of 200 backward pointers is longer than the hop cap.
  Bytes chain = header(1, 1, 0, 0, 5);
  question(chain);
  std::size_t first = chain.size();
  chain.push_back(0); // a root name at `first`
  for (int i = 0; i < 200; ++i) {
    std::size_t prev = chain.size() - (i == 0 ? 1 : 2);
    append(chain, {static_cast<std::uint8_t>(0xc0 | (prev >> 8)), static_cast<std::uint8_t>(prev)});
  }
  (void)first;
  std::size_t pos = chain.size() - 2;
  EXPECT_EQ(check_name(chain, pos, chain.size()), 0u);
}

TEST(DnsWire, ReadNameExpandsAndLowercases) {
  Bytes b = header(1, 1, 0, 0, 5);
  append(b, {3, 'W', 'w', 'W', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 6, 0, 1});
  append(b, {3, 'F', 'o', 'o', 0xc0, 16, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12});
  Packet p;
  ASSERT_TRUE(validate(b, p).ok());
  RecordReader reader(b, p);
  RecordView rr;
  ASSERT_TRUE(reader.next(rr));
  std::size_t pos = rr.owner_offset;
  WireName name;
  ASSERT_TRUE(read_name(b, pos, name));
  EXPECT_EQ(name_to_text(name), "foo.example.");
  EXPECT_EQ(rr.type, rr_type::cname);
  EXPECT_EQ(name_to_text(expand_rdata(b, rr, true)), "www.example.");
  EXPECT_EQ(name_to_text(expand_rdata(b, rr, false)), "WwW.Example.");
  EXPECT_FALSE(reader.next(rr));
}

TEST(DnsWire, NamesFromText) {
  WireName origin = name_from_text("Local.Zone.");
  EXPECT_EQ(origin, std::string("\5local\4zone\0", 12));
  EXPECT_EQ(name_to_text(name_from_text("web", origin)), "web.local.zone.");
  EXPECT_EQ(name_from_text("@", origin), origin);
  EXPECT_TRUE(is_subdomain(name_from_text("a.b.local.zone."), origin));
  EXPECT_FALSE(is_subdomain(name_from_text("alocal.zone."), origin));
  EXPECT_THROW(name_from_text("a..b."), Error);
  EXPECT_THROW(name_from_text(std::string(64, 'a') + "."), Error);
}

} // namespace
} // namespace dockerops::dns
