// What an authoritative answer holds beyond an exact match (issue 19): wildcard synthesis with
// RFC 4592 §2.2.1's own example zone, referrals with glue (RFC 1034 §4.3.2 step 3b, RFC 9471),
// CNAME loops, the zone-file rules (CNAME and other data, DNAME) and NOTIMP replies.

#include "dns_query_support.hpp"

#include "base/error.hpp"
#include "dns/zone/zone_file.hpp"

#include <gtest/gtest.h>

namespace dockerops::dns::test {
namespace {

// RFC 4592 §2.2.1, with the SOA and SRV rdata filled in and glue for ns.example.com. omitted (it
// lies outside the zone).
constexpr const char* k_rfc4592_zone = R"($ORIGIN example.
example.                 3600 IN  SOA   ns.example.com. hostmaster.example. 1 3600 600 86400 300
example.                 3600     NS    ns.example.com.
example.                 3600     NS    ns.example.net.
*.example.               3600     TXT   "this is a wildcard"
*.example.               3600     MX    10 host1.example.
sub.*.example.           3600     TXT   "this is not a wildcard"
host1.example.           3600     A     192.0.2.1
_ssh._tcp.host1.example. 3600     SRV   0 0 22 host1.example.
_ssh._tcp.host2.example. 3600     SRV   0 0 22 host2.example.
subdel.example.          3600     NS    ns.example.com.
subdel.example.          3600     NS    ns.example.net.
)";

class DnsAnswer : public ::testing::Test {
protected:
  void load(const char* zone_text, const char* origin) {
    m_zones.add(parse_zone_text(zone_text, name_from_text(origin), "test.zone"));
  }

  // Runs a query; the parsed reply.
  Pkt ask(const std::string& name, std::uint16_t type, bool edns = false, bool tcp = false) {
    EXPECT_EQ(m_runner.run(query(name, type, edns), tcp), Action::reply);
    Pkt p = m_runner.parsed();
    EXPECT_TRUE(p) << "ldns rejects the reply to " << name;
    return p;
  }

  ZoneSet m_zones;
  QueryRunner m_runner{m_zones};
};

std::uint16_t rcode(const Pkt& p) {
  return static_cast<std::uint16_t>(ldns_pkt_get_rcode(p.get()));
}

// RFC 4592 §2.2.1: "The following queries would be synthesized from one of the wildcards".
TEST_F(DnsAnswer, WildcardsSynthesiseUnderTheNameAsked) {
  load(k_rfc4592_zone, "example.");
  Pkt mx = ask("host3.example.", rr_type::mx);
  EXPECT_EQ(rcode(mx), rcode::noerror);
  EXPECT_TRUE(ldns_pkt_aa(mx.get()));
  EXPECT_EQ(texts(ldns_pkt_answer(mx.get())),
            std::set<std::string>{"host3.example. 3600 IN MX 10 host1.example."});
  // The owner is the question name, by pointer: the wildcard's own name never shows.
  EXPECT_EQ(m_runner.reply()[m_runner.packet().question_end], 0xc0);

  Pkt nodata = ask("host3.example.", rr_type::a); // the wildcard matches, no A there: NODATA
  EXPECT_EQ(rcode(nodata), rcode::noerror);
  EXPECT_EQ(ldns_pkt_ancount(nodata.get()), 0);
  EXPECT_EQ(ldns_pkt_nscount(nodata.get()), 1); // the SOA

  Pkt deep = ask("foo.bar.example.", rr_type::txt); // several labels below the closest encloser
  EXPECT_EQ(texts(ldns_pkt_answer(deep.get())),
            std::set<std::string>{"foo.bar.example. 3600 IN TXT \"this is a wildcard\""});
}

// RFC 4592 §2.2.1: "The following queries would not be synthesized from any of the wildcards".
TEST_F(DnsAnswer, WildcardsDoNotCoverWhatExists) {
  load(k_rfc4592_zone, "example.");
  Pkt host1 = ask("host1.example.", rr_type::mx); // the name exists: NODATA
  EXPECT_EQ(rcode(host1), rcode::noerror);
  EXPECT_EQ(ldns_pkt_ancount(host1.get()), 0);

  Pkt sub = ask("sub.*.example.", rr_type::mx); // exists (a "*" label that is not first is plain)
  EXPECT_EQ(rcode(sub), rcode::noerror);
  EXPECT_EQ(ldns_pkt_ancount(sub.get()), 0);

  // The closest encloser is the empty non-terminal _tcp.host1.example., which has no "*" child.
  EXPECT_EQ(rcode(ask("_telnet._tcp.host1.example.", rr_type::srv)), rcode::nxdomain);

  // The closest encloser is *.example. itself; *.*.example. does not exist.
  EXPECT_EQ(rcode(ask("ghost.*.example.", rr_type::mx)), rcode::nxdomain);

  // Below the delegation the wildcard does not apply: a referral.
  Pkt del = ask("host.subdel.example.", rr_type::a);
  EXPECT_EQ(rcode(del), rcode::noerror);
  EXPECT_FALSE(ldns_pkt_aa(del.get()));
  EXPECT_EQ(ldns_pkt_ancount(del.get()), 0);
  EXPECT_EQ(texts(ldns_pkt_authority(del.get())),
            (std::set<std::string>{"subdel.example. 3600 IN NS ns.example.com.",
                                   "subdel.example. 3600 IN NS ns.example.net."}));

  // Querying the wildcard's own name is an ordinary exact match.
  EXPECT_EQ(ldns_pkt_ancount(ask("*.example.", rr_type::txt).get()), 1);
}

constexpr const char* k_delegating_zone = R"($ORIGIN local.zone.
$TTL 60
@        IN SOA dns hostmaster 1 3600 600 86400 30
@        IN NS  dns
dns      IN A   172.30.0.2
sub      IN NS  ns1.sub
sub      IN NS  ns2.sub
sub      IN NS  dns
sub      IN NS  ns.example.com.
ns1.sub  IN A   172.30.1.1
ns1.sub  IN AAAA fd00::1
ns2.sub  IN A   172.30.1.2
www      IN CNAME host.sub
)";

TEST_F(DnsAnswer, ReferralsCarryTheCutAndItsGlue) {
  load(k_delegating_zone, "local.zone.");
  for (const char* name : {"sub.local.zone.", "x.sub.local.zone.", "a.b.sub.local.zone."}) {
    Pkt p = ask(name, rr_type::a);
    EXPECT_EQ(rcode(p), rcode::noerror) << name;
    EXPECT_FALSE(ldns_pkt_aa(p.get())) << name;
    EXPECT_EQ(ldns_pkt_ancount(p.get()), 0) << name;
    EXPECT_EQ(ldns_pkt_nscount(p.get()), 4) << name;
    // In-domain glue (ns1, ns2 below the cut) and sibling glue (dns, elsewhere in the zone).
    EXPECT_EQ(texts(ldns_pkt_additional(p.get())),
              (std::set<std::string>{
                  "ns1.sub.local.zone. 60 IN A 172.30.1.1", "ns1.sub.local.zone. 60 IN AAAA fd00::1",
                  "ns2.sub.local.zone. 60 IN A 172.30.1.2", "dns.local.zone. 60 IN A 172.30.0.2"}))
        << name;
  }
  // Glue is not authoritative data: asking for it gets the referral too.
  Pkt glue = ask("ns1.sub.local.zone.", rr_type::a);
  EXPECT_FALSE(ldns_pkt_aa(glue.get()));
  EXPECT_EQ(ldns_pkt_ancount(glue.get()), 0);
  // So does NS at the cut; DS at the cut is the parent's to answer (here: NODATA, authoritative).
  EXPECT_FALSE(ldns_pkt_aa(ask("sub.local.zone.", rr_type::ns).get()));
  Pkt ds = ask("sub.local.zone.", rr_type::ds);
  EXPECT_TRUE(ldns_pkt_aa(ds.get()));
  EXPECT_EQ(ldns_pkt_ancount(ds.get()), 0);
  // A CNAME into delegated space: the CNAME, authoritatively, and the referral to follow it.
  Pkt www = ask("www.local.zone.", rr_type::a);
  EXPECT_TRUE(ldns_pkt_aa(www.get()));
  EXPECT_EQ(ldns_pkt_ancount(www.get()), 1);
  EXPECT_EQ(ldns_pkt_nscount(www.get()), 4);
  EXPECT_EQ(ldns_pkt_arcount(www.get()), 4);
  // The apex NS is no cut.
  EXPECT_TRUE(ldns_pkt_aa(ask("dns.local.zone.", rr_type::a).get()));
}

TEST_F(DnsAnswer, InDomainGlueThatDoesNotFitTruncates) {
  std::string text = k_delegating_zone;
  for (int i = 0; i < 60; ++i)
    text += "ns1.sub IN A 10.9.0." + std::to_string(i) + "\n";
  load(text.c_str(), "local.zone.");
  Pkt udp = ask("x.sub.local.zone.", rr_type::a);
  EXPECT_TRUE(ldns_pkt_tc(udp.get()));
  Pkt tcp = ask("x.sub.local.zone.", rr_type::a, false, true);
  EXPECT_FALSE(ldns_pkt_tc(tcp.get()));
  EXPECT_EQ(ldns_pkt_arcount(tcp.get()), 64); // 61 + 1 A, 1 AAAA of ns1 and ns2, dns
}

TEST_F(DnsAnswer, DelegationsFollowUpdatesOfTheNsSet) {
  load(k_delegating_zone, "local.zone.");
  ZoneStore& store = *m_zones.find_exact(name_from_text("local.zone."));
  auto txn = store.begin();
  txn.zone().remove_rrset(name_from_text("sub.local.zone."), rr_type::ns);
  txn.zone().add(parse_record("new 60 IN NS ns.example.com.", name_from_text("local.zone.")));
  txn.commit();
  EXPECT_EQ(rcode(ask("x.sub.local.zone.", rr_type::a)), rcode::nxdomain); // no longer delegated
  EXPECT_FALSE(ldns_pkt_aa(ask("x.new.local.zone.", rr_type::a).get()));   // newly delegated
}

TEST_F(DnsAnswer, CnameLoopsStopAtTheFirstRepeat) {
  load(R"($ORIGIN local.zone.
@ 60 IN SOA dns hostmaster 1 3600 600 86400 30
@ 60 IN NS dns
a 60 IN CNAME b
b 60 IN CNAME c
c 60 IN CNAME A
self 60 IN CNAME self
)",
       "local.zone.");
  Pkt loop = ask("a.local.zone.", rr_type::a);
  EXPECT_EQ(rcode(loop), rcode::noerror);
  EXPECT_EQ(texts(ldns_pkt_answer(loop.get())),
            (std::set<std::string>{"a.local.zone. 60 IN CNAME b.local.zone.",
                                   "b.local.zone. 60 IN CNAME c.local.zone.",
                                   "c.local.zone. 60 IN CNAME a.local.zone."}));
  EXPECT_EQ(ldns_pkt_ancount(loop.get()), 3); // each CNAME once
  EXPECT_EQ(ldns_pkt_ancount(ask("self.local.zone.", rr_type::a).get()), 1);
}

TEST_F(DnsAnswer, NotimpKeepsTheQuestionAndOpt) {
  load(k_delegating_zone, "local.zone.");
  for (std::uint8_t op : {opcode::iquery, opcode::status, std::uint8_t{3}, opcode::notify}) {
    ASSERT_EQ(m_runner.run(query("local.zone.", rr_type::soa, true, k_class_in, 0, op)), Action::reply);
    Pkt p = m_runner.parsed();
    ASSERT_TRUE(p);
    EXPECT_EQ(rcode(p), rcode::notimp);
    EXPECT_EQ(ldns_pkt_get_opcode(p.get()), static_cast<ldns_pkt_opcode>(op));
    EXPECT_EQ(ldns_pkt_qdcount(p.get()), 1) << int(op);
    EXPECT_EQ(ldns_pkt_edns(p.get()), true) << int(op); // RFC 6891 §7
  }
}

TEST(DnsZoneRules, CnameAndOtherDataAndDnameAreRefusedAtLoad) {
  const WireName origin = name_from_text("local.zone.");
  const std::string apex = "@ 60 IN SOA dns hostmaster 1 3600 600 86400 30\n@ 60 IN NS dns\n";
  auto error_of = [&](const std::string& text) {
    try {
      parse_zone_text(apex + text, origin, "local.zone.db");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error_of("www 60 IN CNAME web\nwww 60 IN A 10.0.0.1\n"),
            "local.zone.db: www.local.zone. has a CNAME and other data (RFC 1034 §3.6.2); a CNAME must be "
            "alone at its name");
  EXPECT_NE(error_of("www 60 IN CNAME web\nwww 60 IN CNAME web2\n").find("www.local.zone. has a CNAME"),
            std::string::npos);
  EXPECT_NE(error_of("@ 60 IN CNAME web\n").find("local.zone. has a CNAME"), std::string::npos);
  EXPECT_EQ(error_of("old 60 IN DNAME new.example.\n"),
            "local.zone.db: old.local.zone. has a DNAME record; DNAME is not supported, use CNAME records");
  EXPECT_EQ(error_of("www 60 IN CNAME web\n"), "accepted");
}

} // namespace
} // namespace dockerops::dns::test
