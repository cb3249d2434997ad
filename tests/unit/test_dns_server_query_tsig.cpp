// TSIG-signed queries (RFC 8945 §5.2, §5.3): which path a message takes,
// the signed reply (checked with our own tsig_verify_response and byte by
// byte against the unsigned answer), and every error a signed query can get.

#include "dns_update_support.hpp"

#include "dns/server/query.hpp"

#include <gtest/gtest.h>

namespace dockerops::dns::test {
namespace {

using Bytes = std::vector<std::uint8_t>;

// A QUERY for `qname` (presentation form, relative to nothing) and `type`,
// with an OPT record (payload 4096) when `edns`.
Bytes make_query(std::string_view qname, std::uint16_t type, bool edns = false, std::uint16_t id = 0x1234) {
  Bytes b(k_header_size, 0);
  put16(b.data(), id);
  put16(b.data() + 2, flag::rd);
  put16(b.data() + 4, 1);
  put16(b.data() + 10, edns ? 1 : 0);
  WireName wire_name = name_from_text(qname);
  b.insert(b.end(), wire_name.begin(), wire_name.end());
  b.insert(b.end(), {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type), 0, 1});
  if (edns)
    b.insert(b.end(), {0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, 0, 0});
  return b;
}

class DnsQueryTsig : public ::testing::Test {
protected:
  DnsQueryTsig() {
    std::string text = k_zone_text;
    for (int i = 0; i < 60; ++i)
      text += "big IN A 10.9.0." + std::to_string(i) + "\n";
    for (int i = 0; i < 28; ++i) // 480 bytes unsigned: fits 512 only without a TSIG
      text += "mid IN A 10.8.0." + std::to_string(i) + "\n";
    m_zones.add(parse_zone_text(text, origin(), "test.zone"));
    m_keys.add(m_key);
    m_engine.set_tsig(&m_keys, [this] { return m_now; });
  }

  // Runs one message through the engine; the reply, or empty for no reply.
  Bytes run(const Bytes& wire, bool tcp = false, bool may_forward = false, Action* action = nullptr) {
    Bytes reply(65535);
    std::size_t size = 0;
    Packet packet;
    Action a = m_engine.handle(wire, tcp, may_forward, packet, reply, size);
    if (action)
      *action = a;
    reply.resize(a == Action::reply ? size : 0);
    return reply;
  }

  // `query` signed by the client with `key` at `at` (default: now); the MAC in `mac`.
  Bytes sign(Bytes query, std::string* mac, const TsigKey* key = nullptr, std::uint64_t at = 0) {
    std::string m = tsig_sign(query, key ? *key : m_key, at ? at : m_now, k_tsig_fudge, get16(query.data()));
    if (mac)
      *mac = m;
    return query;
  }

  ZoneSet m_zones;
  TsigKey m_key = test_key();
  Keyring m_keys;
  std::uint64_t m_now = k_now;
  QueryEngine m_engine{m_zones};
};

// The signed reply is the unsigned reply's bytes (ARCOUNT + 1) followed by a
// TSIG that verifies over the request MAC.
void expect_unsigned_plus_tsig(const Bytes& signed_reply, const Bytes& unsigned_reply, const TsigKey& key,
                               const std::string& request_mac, std::uint64_t now) {
  ASSERT_GT(signed_reply.size(), unsigned_reply.size());
  auto t = tsig_find(signed_reply);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->offset, unsigned_reply.size()); // TSIG last, right after the answer
  EXPECT_EQ(signed_reply.size() - unsigned_reply.size(), tsig_record_size(key));
  EXPECT_EQ(get16(signed_reply.data() + 10), get16(unsigned_reply.data() + 10) + 1); // ARCOUNT
  EXPECT_TRUE(std::equal(unsigned_reply.begin() + 12, unsigned_reply.end(), signed_reply.begin() + 12));
  EXPECT_TRUE(std::equal(unsigned_reply.begin(), unsigned_reply.begin() + 10, signed_reply.begin()));
  EXPECT_EQ(t->error, 0);
  EXPECT_EQ(tsig_verify_response(signed_reply, key, request_mac, now), TsigStatus::ok);
}

TEST_F(DnsQueryTsig, SignedQueryGetsTheUnsignedAnswerPlusATsig) {
  for (bool edns : {false, true}) {
    for (auto [qname, type, rc] : {std::tuple{"ns.local.zone.", rr_type::a, rcode::noerror},
                                   {"nothere.local.zone.", rr_type::a, rcode::nxdomain},
                                   {"ns.local.zone.", rr_type::aaaa, rcode::noerror}}) {
      SCOPED_TRACE(fmt::format("{} {} edns={}", qname, type, edns));
      Bytes query = make_query(qname, type, edns);
      Bytes plain = run(query);
      std::string mac;
      Bytes reply = run(sign(query, &mac));
      ASSERT_FALSE(reply.empty());
      EXPECT_EQ(reply[3] & 0x0f, rc);
      EXPECT_TRUE(reply[2] & (flag::aa >> 8));
      expect_unsigned_plus_tsig(reply, plain, m_key, mac, m_now);
    }
  }
}

TEST_F(DnsQueryTsig, SignedReplyOverTcpToo) {
  Bytes query = make_query("web.local.zone.", rr_type::a);
  std::string mac;
  Bytes reply = run(sign(query, &mac), true);
  EXPECT_EQ(get16(reply.data() + 6), 2); // both addresses
  EXPECT_EQ(tsig_verify_response(reply, m_key, mac, m_now), TsigStatus::ok);
}

TEST_F(DnsQueryTsig, TooBigForUdpIsTruncatedAndSigned) {
  // 60 A records do not fit in 512 bytes: TC with the question only, signed,
  // and the whole reply (TSIG included) within the client's 512 bytes.
  std::string mac;
  Bytes reply = run(sign(make_query("big.local.zone.", rr_type::a), &mac));
  EXPECT_TRUE(reply[2] & (flag::tc >> 8));
  EXPECT_EQ(get16(reply.data() + 6), 0);
  EXPECT_LE(reply.size(), k_classic_udp_payload);
  EXPECT_EQ(tsig_verify_response(reply, m_key, mac, m_now), TsigStatus::ok);
  // An answer that fits only without the TSIG is truncated too (room is reserved).
  Bytes mid = make_query("mid.local.zone.", rr_type::a);
  Bytes plain = run(mid);
  ASSERT_FALSE(plain[2] & (flag::tc >> 8));
  ASSERT_GT(plain.size() + tsig_record_size(m_key), k_classic_udp_payload);
  reply = run(sign(mid, &mac));
  EXPECT_TRUE(reply[2] & (flag::tc >> 8));
  EXPECT_LE(reply.size(), k_classic_udp_payload);
  EXPECT_EQ(tsig_verify_response(reply, m_key, mac, m_now), TsigStatus::ok);
  Bytes tcp = run(sign(make_query("big.local.zone.", rr_type::a), &mac), true);
  EXPECT_FALSE(tcp[2] & (flag::tc >> 8));
  EXPECT_EQ(get16(tcp.data() + 6), 60);
  EXPECT_EQ(tsig_verify_response(tcp, m_key, mac, m_now), TsigStatus::ok);
}

TEST_F(DnsQueryTsig, UnknownKeyIsNotauthBadkeyUnsigned) {
  TsigKey stranger = test_key();
  stranger.name = "stranger.";
  Bytes reply = run(sign(make_query("ns.local.zone.", rr_type::a), nullptr, &stranger));
  EXPECT_EQ(rcode_of(reply), rcode::notauth);
  EXPECT_EQ(get16(reply.data() + 6), 0); // no answer to an unauthenticated query
  auto t = tsig_find(reply);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->error, static_cast<std::uint16_t>(TsigError::badkey));
  EXPECT_TRUE(t->mac.empty());
  EXPECT_EQ(t->key_name, tsig_name_wire("stranger."));
}

TEST_F(DnsQueryTsig, NoKeyFileMeansBadkey) {
  QueryEngine engine(m_zones); // no set_tsig: a server without --key-file
  Bytes query = sign(make_query("ns.local.zone.", rr_type::a), nullptr);
  Bytes reply(512);
  std::size_t size = 0;
  Packet packet;
  ASSERT_EQ(engine.handle(query, false, false, packet, reply, size), Action::reply);
  reply.resize(size);
  EXPECT_EQ(rcode_of(reply), rcode::notauth);
  auto t = tsig_find(reply);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->error, static_cast<std::uint16_t>(TsigError::badkey));
}

TEST_F(DnsQueryTsig, WrongSecretIsNotauthBadsigUnsigned) {
  TsigKey wrong = test_key();
  wrong.secret[0] ^= 1;
  Bytes reply = run(sign(make_query("ns.local.zone.", rr_type::a, true), nullptr, &wrong));
  EXPECT_EQ(rcode_of(reply), rcode::notauth);
  auto t = tsig_find(reply);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->error, static_cast<std::uint16_t>(TsigError::badsig));
  EXPECT_TRUE(t->mac.empty());
  EXPECT_EQ(get16(reply.data() + 10), 2); // OPT, then the TSIG last
}

TEST_F(DnsQueryTsig, TruncatedMacIsBadtrunc) {
  Bytes reply = run(with_truncated_mac(sign(make_query("ns.local.zone.", rr_type::a), nullptr), 16));
  EXPECT_EQ(rcode_of(reply), rcode::notauth);
  auto t = tsig_find(reply);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->error, static_cast<std::uint16_t>(TsigError::badtrunc));
}

TEST_F(DnsQueryTsig, StaleTimeIsBadtimeSignedWithTheServerTime) {
  std::string mac;
  const std::uint64_t then = m_now - 86400;
  Bytes reply = run(sign(make_query("ns.local.zone.", rr_type::a), &mac, nullptr, then));
  EXPECT_EQ(rcode_of(reply), rcode::notauth);
  TsigRecord t;
  // The MAC verifies (signed with our key over the request MAC); Time Signed is the client's.
  EXPECT_EQ(tsig_verify_response(reply, m_key, mac, then, &t), TsigStatus::ok);
  EXPECT_EQ(t.error, static_cast<std::uint16_t>(TsigError::badtime));
  ASSERT_EQ(t.other.size(), 6u);
  std::uint64_t server_time = 0;
  for (char c : t.other)
    server_time = server_time << 8 | static_cast<unsigned char>(c);
  EXPECT_EQ(server_time, m_now);
}

TEST_F(DnsQueryTsig, SignedQueryOutsideTheZonesIsRefusedSignedNotForwarded) {
  Bytes query = make_query("example.com.", rr_type::a);
  Action action = Action::drop;
  run(query, false, true, &action);
  EXPECT_EQ(action, Action::forward); // unsigned: forwarded
  std::string mac;
  Bytes reply = run(sign(query, &mac), false, true, &action);
  EXPECT_EQ(action, Action::reply);
  EXPECT_EQ(rcode_of(reply), rcode::refused);
  EXPECT_EQ(tsig_verify_response(reply, m_key, mac, m_now), TsigStatus::ok);
}

TEST_F(DnsQueryTsig, ReplayedQueryIsAnsweredAgain) {
  // Queries change nothing: no replay cache, unlike updates.
  std::string mac;
  Bytes query = sign(make_query("ns.local.zone.", rr_type::a), &mac);
  Bytes first = run(query);
  Bytes second = run(query);
  EXPECT_EQ(rcode_of(second), rcode::noerror);
  EXPECT_EQ(tsig_verify_response(second, m_key, mac, m_now), TsigStatus::ok);
  EXPECT_EQ(first, second);
}

TEST_F(DnsQueryTsig, OtherOpcodesGetNotimpSigned) {
  Bytes query = make_query("local.zone.", rr_type::soa);
  query[2] = static_cast<std::uint8_t>(query[2] | (opcode::notify << 3));
  std::string mac;
  Bytes reply = run(sign(query, &mac));
  EXPECT_EQ(rcode_of(reply), rcode::notimp);
  EXPECT_EQ(tsig_verify_response(reply, m_key, mac, m_now), TsigStatus::ok);
}

TEST_F(DnsQueryTsig, UnsignedQueriesStayOnTheFastPath) {
  // Without a TSIG nothing is appended, whatever keys the engine holds.
  Bytes reply = run(make_query("ns.local.zone.", rr_type::a, true));
  EXPECT_EQ(get16(reply.data() + 10), 1); // the OPT only
  EXPECT_FALSE(tsig_find(reply));
}

} // namespace
} // namespace dockerops::dns::test
