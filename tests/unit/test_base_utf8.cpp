#include "base/ip_address.hpp"
#include "base/utf8.hpp"

#include <gtest/gtest.h>

using namespace dockerops;

TEST(Utf8, FindsTheFirstInvalidByte) {
  EXPECT_EQ(utf8::first_invalid("plain ascii"), std::nullopt);
  EXPECT_EQ(utf8::first_invalid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xB3"), std::nullopt);
  EXPECT_EQ(utf8::first_invalid("ab\xFF"), 2u);           // never valid
  EXPECT_EQ(utf8::first_invalid("ab\xC3"), 2u);           // cut short
  EXPECT_EQ(utf8::first_invalid("\xC0\xAF"), 0u);         // overlong '/'
  EXPECT_EQ(utf8::first_invalid("x\xED\xA0\x80"), 1u);    // U+D800, a surrogate
  EXPECT_EQ(utf8::first_invalid("\xF4\x90\x80\x80"), 0u); // above U+10FFFF
  EXPECT_EQ(utf8::first_invalid("\xE2\x82"), 0u);         // truncated
  EXPECT_EQ(utf8::first_invalid("ok\xE2\x28\xA1"), 2u);   // bad continuation
}

TEST(Utf8, AppendsAndDecodes) {
  std::string out;
  for (unsigned code : {0x41u, 0xE9u, 0x20ACu, 0x1F433u})
    utf8::append(out, code);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x90\xB3");
  EXPECT_EQ(utf8::decode("\xE2\x82\xAC!").code_point, 0x20ACu);
  EXPECT_EQ(utf8::decode("\xE2\x82\xAC!").length, 3u);
  EXPECT_EQ(utf8::decode("\xFF").length, 0u);
}

TEST(IpAddress, LiteralsOnly) {
  EXPECT_TRUE(ip::is_ipv4("127.0.0.1"));
  EXPECT_TRUE(ip::is_ipv4("0.0.0.0"));
  EXPECT_FALSE(ip::is_ipv4("127.0.0.1 "));
  EXPECT_FALSE(ip::is_ipv4("localhost"));
  EXPECT_FALSE(ip::is_ipv4("256.0.0.1"));
  EXPECT_FALSE(ip::is_ipv4(std::string("127.0.0.1\0x", 11)));
  EXPECT_FALSE(ip::is_ipv4("::1"));
  EXPECT_TRUE(ip::is_ipv6("::1"));
  EXPECT_TRUE(ip::is_ipv6("fe80::1"));
  EXPECT_FALSE(ip::is_ipv6("[::1]"));
  EXPECT_TRUE(ip::is_ip("10.1.2.3"));
  EXPECT_FALSE(ip::is_ip(""));
}
