// Forwarding (issue 19 item 5): the query that goes upstream carries our OPT, the reply that
// comes back carries the client's view of EDNS and fits the client's transport, and a truncated
// UDP answer is fetched again over TCP, so a TCP client gets all of it. The upstream in the last
// test is a real server loop on loopback.

#include "dns_query_support.hpp"

#include "dns/server/forward.hpp"
#include "dns/server/server.hpp"
#include "dns/zone/zone_file.hpp"

#include <poll.h>

#include <gtest/gtest.h>

#include <optional>

namespace dockerops::dns::test {
namespace {

constexpr const char* k_upstream_zone = R"($ORIGIN upstream.test.
$TTL 60
@   IN SOA ns hostmaster 1 3600 600 86400 60
@   IN NS  ns
ns  IN A   127.0.0.2
)";

std::string big_zone() {
  std::string text = k_upstream_zone;
  for (int i = 0; i < 100; ++i) // 100 A records: about 1.7 KB of answer
    text += "big IN A 10.0.0." + std::to_string(i) + "\n";
  return text;
}

class DnsForward : public ::testing::Test {
protected:
  DnsForward() { m_upstream_zones.add(parse_zone_text(big_zone(), name_from_text("upstream.test."), "up")); }

  // The upstream's answer (by the in-process engine, over TCP: never truncated) to what the
  // forwarder would send for `client`.
  Bytes upstream_answer(const Bytes& client, Packet& packet) {
    EXPECT_TRUE(validate(client, packet).ok());
    Bytes up = upstream_query(client, packet, 0x4242);
    EXPECT_EQ(m_upstream.run(up, true), Action::reply);
    return m_upstream.reply();
  }

  ZoneSet m_upstream_zones;
  QueryRunner m_upstream{m_upstream_zones};
};

TEST_F(DnsForward, UpstreamGetsOurOptAndTheClientsQuestion) {
  Bytes client = query("Ns.Upstream.TEST", rr_type::a); // no EDNS
  Packet packet;
  ASSERT_TRUE(validate(client, packet).ok());
  Bytes up = upstream_query(client, packet, 0x4242);
  Packet sent;
  ASSERT_TRUE(validate(up, sent).ok());
  EXPECT_EQ(sent.header.id, 0x4242);
  EXPECT_TRUE(sent.header.rd());
  EXPECT_TRUE(std::equal(client.begin() + 12,
                         client.begin() + static_cast<std::ptrdiff_t>(packet.question_end),
                         up.begin() + 12)); // case kept
  ASSERT_TRUE(sent.has_opt);
  EXPECT_EQ(sent.udp_payload, k_edns_payload);
  EXPECT_EQ(sent.header.counts[3], 1);
}

TEST_F(DnsForward, TheClientSeesItsOwnEdns) {
  // Without EDNS: the upstream's OPT does not reach the client.
  Bytes plain = query("ns.upstream.test", rr_type::a);
  Packet packet;
  Bytes answer = upstream_answer(plain, packet);
  ASSERT_TRUE(parse(answer) && ldns_pkt_edns(parse(answer).get())); // the upstream did answer with one
  std::optional<Bytes> reply = client_reply(answer, plain, packet, reply_limit(packet, false));
  ASSERT_TRUE(reply);
  Pkt p = parse(*reply);
  ASSERT_TRUE(p);
  EXPECT_FALSE(ldns_pkt_edns(p.get()));
  EXPECT_EQ(ldns_pkt_id(p.get()), 0xbeef);
  EXPECT_TRUE(ldns_pkt_ra(p.get()));  // recursion was available to this client
  EXPECT_FALSE(ldns_pkt_aa(p.get())); // a relayed answer is not ours
  EXPECT_EQ(texts(ldns_pkt_answer(p.get())), std::set<std::string>{"ns.upstream.test. 60 IN A 127.0.0.2"});

  // With EDNS (4096, DO): our OPT, its DO bit.
  Bytes edns = query("ns.upstream.test", rr_type::a, true);
  edns[edns.size() - 4] = 0x80; // DO
  answer = upstream_answer(edns, packet);
  reply = client_reply(answer, edns, packet, reply_limit(packet, false));
  ASSERT_TRUE(reply);
  p = parse(*reply);
  ASSERT_TRUE(p && ldns_pkt_edns(p.get()));
  EXPECT_EQ(ldns_pkt_edns_udp_size(p.get()), k_edns_payload);
  EXPECT_TRUE(ldns_pkt_edns_do(p.get()));
  EXPECT_EQ(ldns_pkt_arcount(p.get()), 0); // ldns counts the OPT apart
}

TEST_F(DnsForward, RepliesFitTheClientsTransport) {
  for (bool edns : {false, true}) {
    Bytes client = query("big.upstream.test", rr_type::a, edns);
    Packet packet;
    Bytes answer = upstream_answer(client, packet);
    ASSERT_GT(answer.size(), k_edns_payload);
    std::optional<Bytes> udp = client_reply(answer, client, packet, reply_limit(packet, false));
    ASSERT_TRUE(udp);
    Pkt p = parse(*udp);
    ASSERT_TRUE(p);
    EXPECT_TRUE(ldns_pkt_tc(p.get())) << edns;
    EXPECT_EQ(ldns_pkt_ancount(p.get()), 0) << edns;
    EXPECT_EQ(ldns_pkt_qdcount(p.get()), 1) << edns;
    EXPECT_EQ(ldns_pkt_edns(p.get()), edns);
    std::optional<Bytes> tcp = client_reply(answer, client, packet, reply_limit(packet, true));
    ASSERT_TRUE(tcp);
    EXPECT_FALSE(ldns_pkt_tc(parse(*tcp).get()));
    EXPECT_EQ(ldns_pkt_ancount(parse(*tcp).get()), 100);
  }
}

TEST_F(DnsForward, MalformedOrExtendedRcodeRepliesAreNotRelayed) {
  Bytes client = query("ns.upstream.test", rr_type::a);
  Packet packet;
  Bytes answer = upstream_answer(client, packet);
  Bytes cut(answer.begin(), answer.end() - 3);
  EXPECT_FALSE(client_reply(cut, client, packet, 512));
  Bytes badvers = answer;
  badvers[badvers.size() - 6] = 1; // the OPT's extended rcode (TTL's first byte)
  EXPECT_FALSE(client_reply(badvers, client, packet, 512));
  Bytes not_a_response = answer;
  not_a_response[2] &= 0x7f;
  EXPECT_FALSE(client_reply(not_a_response, client, packet, 512));
}

// The forwarder against a real upstream loop: a UDP answer too big for the upstream's UDP
// payload comes back truncated and is fetched again over TCP.
TEST_F(DnsForward, TruncatedUpstreamAnswersAreFetchedOverTcp) {
  ServerConfig config;
  config.listen = {"127.0.0.1"};
  config.port = 0;
  Server upstream(config, m_upstream_zones, nullptr);
  upstream.start();
  Forwarder forwarder({parse_upstream("127.0.0.1:" + std::to_string(upstream.port()))});
  auto forward = [&](const Bytes& client, bool tcp) {
    Packet packet;
    EXPECT_TRUE(validate(client, packet).ok());
    std::optional<Bytes> got;
    forwarder.submit(client, packet, tcp,
                     [&](std::span<const std::uint8_t> r) { got = Bytes(r.begin(), r.end()); });
    for (int i = 0; i < 100 && !got; ++i) {
      pollfd p{forwarder.fd(), POLLIN, 0};
      if (::poll(&p, 1, 100) > 0)
        forwarder.on_readable();
      forwarder.on_timer();
    }
    return got ? parse(*got) : nullptr;
  };
  Pkt over_tcp = forward(query("big.upstream.test", rr_type::a, true), true);
  ASSERT_TRUE(over_tcp);
  EXPECT_EQ(ldns_pkt_get_rcode(over_tcp.get()), LDNS_RCODE_NOERROR);
  EXPECT_FALSE(ldns_pkt_tc(over_tcp.get()));
  EXPECT_EQ(ldns_pkt_ancount(over_tcp.get()), 100);
  Pkt over_udp = forward(query("big.upstream.test", rr_type::a, true), false);
  ASSERT_TRUE(over_udp);
  EXPECT_TRUE(ldns_pkt_tc(over_udp.get())); // the client's UDP takes 1232 bytes at most
  Pkt small = forward(query("ns.upstream.test", rr_type::a), false);
  ASSERT_TRUE(small);
  EXPECT_EQ(ldns_pkt_ancount(small.get()), 1);
  upstream.stop();
}

} // namespace
} // namespace dockerops::dns::test
