// Answer building: replies are parsed back with ldns (an independent parser)
// and checked byte-wise where the layout matters (compression, case).

#include "dns_query_support.hpp"

#include "dns/update/policy.hpp"
#include "dns/zone/zone_file.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

namespace dockerops::dns {
namespace {

using namespace test;
const WireName k_origin = name_from_text("local.zone.");

class DnsQuery : public ::testing::Test {
protected:
  DnsQuery() {
    std::string zone_text = R"($TTL 60
@        IN SOA dns hostmaster 7 3600 600 86400 30
@        IN NS  dns
dns      IN A   172.30.0.2
web      IN A   172.30.0.5
web      IN A   172.30.0.6
web      IN A   172.30.0.7
www      IN CNAME web
alias    IN CNAME www
ext      IN CNAME example.com.
_http._tcp.web IN SRV 0 0 80 web
txt      IN TXT "hello world"
)";
    for (int i = 0; i < 100; ++i)
      zone_text += "big IN A 10.1.0." + std::to_string(i) + "\n";
    m_zones.add(parse_zone_text(zone_text, k_origin, "test"));
  }

  // Runs one query through the engine; returns the action and fills m_reply.
  Action run(const Bytes& q, bool tcp = false, bool may_forward = false) {
    Action a = m_runner.run(q, tcp, may_forward);
    m_reply = m_runner.reply();
    return a;
  }

  Pkt parsed() {
    Pkt p = m_runner.parsed();
    EXPECT_TRUE(p) << "ldns rejects the reply";
    return p;
  }

  ZoneSet m_zones;
  QueryRunner m_runner{m_zones};
  QueryEngine& m_engine = m_runner.engine();
  Bytes m_reply;
};

TEST_F(DnsQuery, AnswersAuthoritativelyWithCompressionAndTheQueryCase) {
  Bytes q = query("DnS.LoCal.ZONE", rr_type::a);
  ASSERT_EQ(run(q), Action::reply);
  auto p = parsed();
  EXPECT_TRUE(ldns_pkt_aa(p.get()));
  EXPECT_TRUE(ldns_pkt_qr(p.get()));
  EXPECT_TRUE(ldns_pkt_rd(p.get()));
  EXPECT_EQ(ldns_pkt_id(p.get()), 0xbeef);
  EXPECT_EQ(ldns_pkt_get_rcode(p.get()), LDNS_RCODE_NOERROR);
  ASSERT_EQ(ldns_pkt_ancount(p.get()), 1);
  EXPECT_EQ(text(ldns_rr_a_address(ldns_rr_list_rr(ldns_pkt_answer(p.get()), 0))), "172.30.0.2");
  // Question echoed byte for byte (case preserved), answer owner = pointer to offset 12.
  EXPECT_TRUE(std::equal(q.begin() + 12, q.end(), m_reply.begin() + 12));
  EXPECT_EQ(m_reply[q.size()], 0xc0);
  EXPECT_EQ(m_reply[q.size() + 1], 12);
  EXPECT_EQ(m_reply.size(), q.size() + 16);
}

TEST_F(DnsQuery, RotatesMultiRecordAnswers) {
  std::set<std::string> firsts;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(run(query("web.local.zone", rr_type::a)), Action::reply);
    auto p = parsed();
    ASSERT_EQ(ldns_pkt_ancount(p.get()), 3);
    firsts.insert(text(ldns_rr_a_address(ldns_rr_list_rr(ldns_pkt_answer(p.get()), 0))));
  }
  EXPECT_EQ(firsts.size(), 3u);
}

TEST_F(DnsQuery, NxdomainAndNodataCarryTheSoa) {
  ASSERT_EQ(run(query("nothere.local.zone", rr_type::a)), Action::reply);
  auto nx = parsed();
  EXPECT_EQ(ldns_pkt_get_rcode(nx.get()), LDNS_RCODE_NXDOMAIN);
  EXPECT_TRUE(ldns_pkt_aa(nx.get()));
  ASSERT_EQ(ldns_pkt_nscount(nx.get()), 1);
  ldns_rr* soa = ldns_rr_list_rr(ldns_pkt_authority(nx.get()), 0);
  EXPECT_EQ(ldns_rr_get_type(soa), LDNS_RR_TYPE_SOA);
  EXPECT_EQ(ldns_rr_ttl(soa), 30u); // min(SOA TTL 60, MINIMUM 30)
  EXPECT_EQ(text(ldns_rr_owner(soa)), "local.zone.");

  ASSERT_EQ(run(query("dns.local.zone", rr_type::aaaa)), Action::reply);
  auto nodata = parsed();
  EXPECT_EQ(ldns_pkt_get_rcode(nodata.get()), LDNS_RCODE_NOERROR);
  EXPECT_EQ(ldns_pkt_ancount(nodata.get()), 0);
  EXPECT_EQ(ldns_pkt_nscount(nodata.get()), 1);

  // Empty non-terminal: NODATA, not NXDOMAIN (RFC 8020).
  ASSERT_EQ(run(query("_tcp.web.local.zone", rr_type::a)), Action::reply);
  EXPECT_EQ(ldns_pkt_get_rcode(parsed().get()), LDNS_RCODE_NOERROR);
}

TEST_F(DnsQuery, FollowsInZoneCnameChains) {
  ASSERT_EQ(run(query("alias.local.zone", rr_type::a)), Action::reply);
  auto p = parsed();
  ASSERT_EQ(ldns_pkt_ancount(p.get()), 5); // alias CNAME www, www CNAME web, 3 x web A
  ldns_rr_list* an = ldns_pkt_answer(p.get());
  EXPECT_EQ(text(ldns_rr_owner(ldns_rr_list_rr(an, 1))), "www.local.zone.");
  EXPECT_EQ(text(ldns_rr_owner(ldns_rr_list_rr(an, 2))), "web.local.zone.");
  EXPECT_EQ(ldns_rr_get_type(ldns_rr_list_rr(an, 4)), LDNS_RR_TYPE_A);
  // Out-of-zone target: only the CNAME; the resolver follows it.
  ASSERT_EQ(run(query("ext.local.zone", rr_type::a)), Action::reply);
  EXPECT_EQ(ldns_pkt_ancount(parsed().get()), 1);
  // Asking for the CNAME itself does not follow it.
  ASSERT_EQ(run(query("www.local.zone", rr_type::cname)), Action::reply);
  EXPECT_EQ(ldns_pkt_ancount(parsed().get()), 1);
}

TEST_F(DnsQuery, AnswersSrvTxtNsSoa) {
  for (auto [name, type] : {std::pair{"_http._tcp.web.local.zone", rr_type::srv},
                            {"txt.local.zone", rr_type::txt},
                            {"local.zone", rr_type::ns},
                            {"local.zone", rr_type::soa}}) {
    ASSERT_EQ(run(query(name, type)), Action::reply);
    auto p = parsed();
    ASSERT_EQ(ldns_pkt_ancount(p.get()), 1) << name;
    EXPECT_EQ(ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_answer(p.get()), 0)),
              static_cast<ldns_rr_type>(type));
  }
}

TEST_F(DnsQuery, EchoesEdnsAndRejectsNewerVersions) {
  ASSERT_EQ(run(query("dns.local.zone", rr_type::a, true)), Action::reply);
  auto p = parsed();
  EXPECT_EQ(ldns_pkt_edns_udp_size(p.get()), 1232);
  EXPECT_EQ(ldns_pkt_edns_version(p.get()), 0);
  ASSERT_EQ(run(query("dns.local.zone", rr_type::a, true, k_class_in, 1)), Action::reply);
  auto bad = parsed();
  EXPECT_EQ(ldns_pkt_edns_extended_rcode(bad.get()), 1); // BADVERS = 16 = (1 << 4) | 0
  EXPECT_EQ(ldns_pkt_ancount(bad.get()), 0);
}

TEST_F(DnsQuery, TruncatesOverUdpAndAnswersInFullOverTcp) {
  ASSERT_EQ(run(query("big.local.zone", rr_type::a)), Action::reply);
  auto udp = parsed();
  EXPECT_TRUE(ldns_pkt_tc(udp.get()));
  EXPECT_EQ(ldns_pkt_ancount(udp.get()), 0);
  EXPECT_LE(m_reply.size(), 512u);
  ASSERT_EQ(run(query("big.local.zone", rr_type::a, true)), Action::reply);
  EXPECT_TRUE(ldns_pkt_tc(parsed().get())); // 100 x 16 bytes > 1232 as well
  EXPECT_LE(m_reply.size(), 1232u);
  ASSERT_EQ(run(query("big.local.zone", rr_type::a), true), Action::reply);
  auto tcp = parsed();
  EXPECT_FALSE(ldns_pkt_tc(tcp.get()));
  EXPECT_EQ(ldns_pkt_ancount(tcp.get()), 100);
}

TEST_F(DnsQuery, RefusesOtherClassesAndForeignNames) {
  ASSERT_EQ(run(query("dns.local.zone", rr_type::a, false, 3 /* CH */)), Action::reply);
  EXPECT_EQ(ldns_pkt_get_rcode(parsed().get()), LDNS_RCODE_REFUSED);
  ASSERT_EQ(run(query("dns.local.zone", rr_type::a, false, k_class_none)), Action::reply);
  EXPECT_EQ(ldns_pkt_get_rcode(parsed().get()), LDNS_RCODE_REFUSED);
  ASSERT_EQ(run(query("example.com", rr_type::a)), Action::reply);
  auto p = parsed();
  EXPECT_EQ(ldns_pkt_get_rcode(p.get()), LDNS_RCODE_REFUSED);
  EXPECT_FALSE(ldns_pkt_aa(p.get()));
  EXPECT_EQ(run(query("example.com", rr_type::a), false, true), Action::forward);
  Bytes no_rd = query("example.com", rr_type::a);
  no_rd[2] &= 0xfe;
  EXPECT_EQ(run(no_rd, false, true), Action::reply); // RD=0: we do not recurse for them
}

TEST_F(DnsQuery, OpcodesAndTransfers) {
  ASSERT_EQ(run(query("local.zone", rr_type::a, false, k_class_in, 0, opcode::status)), Action::reply);
  EXPECT_EQ(m_reply[3] & 0x0f, rcode::notimp);
  EXPECT_EQ(m_reply[2] & 0x78, opcode::status << 3);
  ASSERT_EQ(run(query("local.zone", rr_type::soa, false, k_class_in, 0, opcode::update)), Action::reply);
  EXPECT_EQ(m_reply[3] & 0x0f, rcode::notimp); // updates disabled
  m_engine.set_updates_enabled(true);
  EXPECT_EQ(run(query("local.zone", rr_type::soa, false, k_class_in, 0, opcode::update)), Action::update);
  ASSERT_EQ(run(query("local.zone", rr_type::axfr)), Action::reply);
  EXPECT_EQ(m_reply[3] & 0x0f, rcode::refused); // transfers need a TSIG (test_dns_transfer.cpp)
  Bytes response = query("local.zone", rr_type::a);
  response[2] |= 0x80;
  EXPECT_EQ(run(response), Action::drop);
  EXPECT_EQ(run(Bytes{1, 2, 3}), Action::drop);
}

TEST_F(DnsQuery, FormerrEchoesIdAndOpcode) {
  Bytes q = query("dns.local.zone", rr_type::a);
  q.insert(q.end(), {1, 2, 3, 4}); // trailing garbage
  ASSERT_EQ(run(q), Action::reply);
  EXPECT_EQ(m_reply[0], 0xbe);
  EXPECT_EQ(m_reply[1], 0xef);
  EXPECT_EQ(m_reply[3] & 0x0f, rcode::formerr);
  EXPECT_EQ(m_reply[5], 1); // the question parsed, so it is echoed
  Bytes broken{0xab, 0xcd, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1};
  ASSERT_EQ(run(broken), Action::reply);
  EXPECT_EQ(m_reply.size(), 12u); // unparsable question: header only
  EXPECT_EQ(m_reply[0], 0xab);
  EXPECT_EQ(m_reply[3] & 0x0f, rcode::formerr);
}

TEST_F(DnsQuery, SeesCommittedUpdates) {
  ZoneStore* store = m_zones.find(k_origin);
  ASSERT_EQ(run(query("new.local.zone", rr_type::a)), Action::reply);
  EXPECT_EQ(ldns_pkt_get_rcode(parsed().get()), LDNS_RCODE_NXDOMAIN);
  auto txn = store->begin();
  txn.zone().add(parse_record("new 60 IN A 10.9.9.9", k_origin));
  txn.commit();
  ASSERT_EQ(run(query("new.local.zone", rr_type::a)), Action::reply);
  EXPECT_EQ(ldns_pkt_ancount(parsed().get()), 1);
}

} // namespace
} // namespace dockerops::dns

namespace dockerops::dns {
namespace {

// HAProxy's resolvers drop truncated answers, and a partial RRset empties server-template slots
// (haproxy issues #341, #1421): the largest RRset that APPEND registrations can build (the
// max-records-per-name cap) must come back whole over UDP with EDNS(0), rotated but complete.
TEST(DnsQueryFullRRset, TheLargestAppendSetFitsOneEdnsAnswer) {
  std::string zone_text = "$TTL 60\n@ IN SOA dns hostmaster 1 3600 600 86400 30\n@ IN NS dns\n";
  std::set<std::string> all;
  for (std::size_t i = 0; i < k_default_max_records_per_name; ++i) {
    std::string address = "172.30.0." + std::to_string(3 + i);
    zone_text += "web IN A " + address + "\n";
    all.insert(address);
  }
  ZoneSet zones;
  zones.add(parse_zone_text(zone_text, k_origin, "test"));
  test::QueryRunner runner{zones};
  std::set<std::string> firsts;
  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(runner.run(test::query("web.local.zone", rr_type::a, true), false, false), Action::reply);
    test::Pkt p = runner.parsed();
    ASSERT_TRUE(p);
    EXPECT_FALSE(ldns_pkt_tc(p.get()));
    EXPECT_EQ(ldns_pkt_edns_version(p.get()), 0);
    ASSERT_EQ(ldns_pkt_ancount(p.get()), k_default_max_records_per_name);
    std::set<std::string> got;
    for (std::size_t i = 0; i < ldns_pkt_ancount(p.get()); ++i)
      got.insert(test::text(ldns_rr_a_address(ldns_rr_list_rr(ldns_pkt_answer(p.get()), i))));
    EXPECT_EQ(got, all);
    firsts.insert(test::text(ldns_rr_a_address(ldns_rr_list_rr(ldns_pkt_answer(p.get()), 0))));
  }
  EXPECT_GT(firsts.size(), 1u); // still rotated
}

} // namespace
} // namespace dockerops::dns

namespace dockerops::dns {
namespace {

// Classic clients (UDP, no EDNS: glibc's stub resolver) get one address of web's three, the next
// one each query; EDNS and TCP queries (HAProxy, dig) the whole set; one-address names and other
// types as before.
TEST(DnsQueryClassicLimit, ClassicClientsGetOneAddressInTurn) {
  ZoneSet zones;
  zones.add(parse_zone_text("$TTL 60\n@ IN SOA dns hostmaster 1 3600 600 86400 30\n@ IN NS dns\n"
                            "dns IN A 172.30.0.2\nweb IN A 172.30.0.3\nweb IN A 172.30.0.4\n"
                            "web IN A 172.30.0.5\nalias IN CNAME web\n",
                            k_origin, "test"));
  test::QueryRunner runner{zones};
  runner.engine().set_classic_answer_limit(1);
  auto ask = [&](const std::string& name, bool edns, bool tcp) {
    EXPECT_EQ(runner.run(test::query(name, rr_type::a, edns), tcp, false), Action::reply);
    test::Pkt p = runner.parsed();
    std::vector<std::string> out;
    if (!p)
      return out;
    for (std::size_t i = 0; i < ldns_pkt_ancount(p.get()); ++i) {
      ldns_rr* rr = ldns_rr_list_rr(ldns_pkt_answer(p.get()), i);
      if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_A)
        out.push_back(test::text(ldns_rr_a_address(rr)));
    }
    return out;
  };
  std::map<std::string, int> seen;
  for (int i = 0; i < 6; ++i) {
    auto got = ask("web.local.zone", false, false);
    ASSERT_EQ(got.size(), 1u);
    ++seen[got[0]];
  }
  EXPECT_EQ(seen, (std::map<std::string, int>{{"172.30.0.3", 2}, {"172.30.0.4", 2}, {"172.30.0.5", 2}}));
  EXPECT_EQ(ask("alias.local.zone", false, false).size(), 1u); // through a CNAME too
  EXPECT_EQ(ask("web.local.zone", true, false).size(), 3u);    // EDNS
  EXPECT_EQ(ask("web.local.zone", false, true).size(), 3u);    // TCP
  EXPECT_EQ(ask("dns.local.zone", false, false).size(), 1u);
  runner.engine().set_classic_answer_limit(0);
  EXPECT_EQ(ask("web.local.zone", false, false).size(), 3u);
}

} // namespace
} // namespace dockerops::dns
