// Rdata layouts and comparison: names inside rdata compare without regard to ASCII case
// (RFC 2136 §1.1, RFC 4343), everything else byte for byte.

#include "dns/proto/bytes.hpp"
#include "dns/proto/rdata.hpp"
#include "dns/proto/record.hpp"

#include <gtest/gtest.h>

namespace dockerops::dns {
namespace {

std::string mx(std::uint16_t preference, std::string_view name) {
  std::string out;
  append16(out, preference);
  return out + name_from_text(name);
}

TEST(DnsRdata, NamesCompareWithoutCase) {
  EXPECT_TRUE(
      rdata_equal(rr_type::ptr, name_from_text("web.local.zone."), std::string("\3Web\5Local\4Zone\0", 16)));
  EXPECT_TRUE(
      rdata_equal(rr_type::mx, mx(10, "mx1.local.zone."), std::string("\0\12\3MX1\5local\4zone\0", 18)));
  EXPECT_FALSE(rdata_equal(rr_type::mx, mx(10, "mx1.local.zone."), mx(20, "mx1.local.zone.")));
  EXPECT_FALSE(rdata_equal(rr_type::cname, name_from_text("a.zone."), name_from_text("b.zone.")));
}

TEST(DnsRdata, OtherBytesCompareExactly) {
  // TXT carries no names: case matters.
  EXPECT_FALSE(rdata_equal(rr_type::txt, "\5Hello", "\5hello"));
  // The fixed part of SRV and the numbers of SOA are not folded ('A' = 0x41, 'a' = 0x61).
  std::string srv_a = std::string("\0\0\0\0\0A", 6) + name_from_text("x.");
  std::string srv_b = std::string("\0\0\0\0\0a", 6) + name_from_text("x.");
  EXPECT_FALSE(rdata_equal(rr_type::srv, srv_a, srv_b));
  std::string soa = name_from_text("ns.zone.") + name_from_text("host.zone.");
  std::string numbers_a(20, 'A'), numbers_b(20, 'a');
  EXPECT_FALSE(rdata_equal(rr_type::soa, soa + numbers_a, soa + numbers_b));
  EXPECT_TRUE(rdata_equal(rr_type::soa, soa + numbers_a,
                          name_from_text("NS.zone.") + name_from_text("HOST.zone.") + numbers_a));
}

TEST(DnsRdata, MalformedRdataIsEqualOnlyToItself) {
  std::string bad("\100Abc", 4); // a label length over 63
  EXPECT_TRUE(rdata_equal(rr_type::ns, bad, bad));
  EXPECT_FALSE(rdata_equal(rr_type::ns, bad, std::string("\100abc", 4)));
  EXPECT_EQ(name_length(bad, 0), 0u);
  EXPECT_EQ(name_length(name_from_text("a.b."), 0), 5u);
}

TEST(DnsRdata, Layouts) {
  EXPECT_EQ(rdata_layout(rr_type::mx).prefix, 2u);
  EXPECT_EQ(rdata_layout(rr_type::srv).prefix, 6u);
  EXPECT_FALSE(rdata_layout(rr_type::srv).compress);
  EXPECT_EQ(rdata_layout(rr_type::soa).names, 2);
  EXPECT_EQ(rdata_layout(rr_type::soa).suffix, 20u);
  EXPECT_EQ(rdata_layout(rr_type::txt).names, 0);
}

} // namespace
} // namespace dockerops::dns
