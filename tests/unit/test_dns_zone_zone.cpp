// The zone store: master-file load and dump, lookups, empty non-terminals,
// copy-on-write versions and atomic publication.

#include "base/error.hpp"
#include "dns/proto/bytes.hpp"
#include "dns/proto/record_text.hpp"
#include "dns/zone/ldns.hpp"
#include "dns/zone/zone_file.hpp"
#include "dns/zone/zone_store.hpp"

#include <gtest/gtest.h>

namespace dockerops::dns {
namespace {

const WireName k_origin = name_from_text("local.zone.");

constexpr const char* k_zone_text = R"($TTL 60
@        IN SOA dns hostmaster 7 3600 600 86400 30
@        IN NS  dns
dns      IN A   172.30.0.2
web      IN A   172.30.0.5
web      IN A   172.30.0.6
Web      IN AAAA fd00::5
www      IN CNAME web
_http._tcp.web IN SRV 0 0 80 web
txt      IN TXT "hello world"
)";

Zone sample() {
  return parse_zone_text(k_zone_text, k_origin, "local.zone.db");
}

TEST(DnsZone, LoadsAMasterFile) {
  Zone zone = sample();
  EXPECT_EQ(zone.serial(), 7u);
  EXPECT_EQ(zone.negative_ttl(), 30u); // min(SOA TTL 60, MINIMUM 30)
  EXPECT_EQ(zone.record_count(), 9u);
  const RRset* web = zone.find(name_from_text("web.local.zone."), rr_type::a);
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->size(), 2u);
  EXPECT_EQ(web->ttl(), 60u);
  EXPECT_EQ(web->rdata(0), std::string("\xac\x1e\x00\x05", 4));
  // The owner "Web" was canonicalised: both types live on one node.
  EXPECT_NE(zone.find(name_from_text("web.local.zone."), rr_type::aaaa), nullptr);
  EXPECT_EQ(zone.find(name_from_text("nothere.local.zone."), rr_type::a), nullptr);
}

TEST(DnsZone, FragmentsArePreSerialised) {
  Zone zone = sample();
  const RRset* dns = zone.find(name_from_text("dns.local.zone."), rr_type::a);
  ASSERT_NE(dns, nullptr);
  // TYPE A, CLASS IN, TTL 60, RDLENGTH 4, 172.30.0.2
  EXPECT_EQ(dns->fragment(0), std::string("\0\1\0\1\0\0\0\x3c\0\4\xac\x1e\0\2", 14));
}

TEST(DnsZone, EmptyNonTerminalsExistUntilTheirChildrenGo) {
  Zone zone = sample();
  WireName tcp = name_from_text("_tcp.web.local.zone.");
  const Node* ent = zone.find_node(tcp);
  ASSERT_NE(ent, nullptr);
  EXPECT_FALSE(ent->has_data());
  EXPECT_TRUE(zone.remove_name(name_from_text("_http._tcp.web.local.zone.")));
  EXPECT_EQ(zone.find_node(tcp), nullptr);
  EXPECT_NE(zone.find_node(name_from_text("web.local.zone.")), nullptr); // still has data
}

TEST(DnsZone, AddRemoveKeepTheStructure) {
  Zone zone = sample();
  WireName web = name_from_text("web.local.zone.");
  Record rr = parse_record("web 120 IN A 172.30.0.5", k_origin);
  EXPECT_TRUE(zone.add(rr));  // duplicate rdata: only the TTL changes
  EXPECT_FALSE(zone.add(rr)); // now nothing changes
  EXPECT_EQ(zone.find(web, rr_type::a)->size(), 2u);
  EXPECT_EQ(zone.find(web, rr_type::a)->ttl(), 120u);
  EXPECT_EQ(zone.record_count(web), 3u);
  EXPECT_TRUE(zone.remove(web, rr_type::a, rr.rdata));
  EXPECT_FALSE(zone.remove(web, rr_type::a, rr.rdata));
  EXPECT_TRUE(zone.remove_rrset(web, rr_type::a));
  EXPECT_EQ(zone.find(web, rr_type::a), nullptr);
  EXPECT_EQ(zone.record_count(), 7u);
  EXPECT_THROW(zone.add(parse_record("x.other. 60 IN A 1.2.3.4", k_origin)), Error);
}

TEST(DnsZone, SetSerialRewritesTheSoa) {
  Zone zone = sample();
  zone.set_serial(4000000000u);
  EXPECT_EQ(zone.serial(), 4000000000u);
  EXPECT_NE(zone_to_text(zone).find("4000000000"), std::string::npos);
}

TEST(DnsZone, DumpAndReloadGiveTheSameZone) {
  Zone zone = sample();
  std::string text = zone_to_text(zone);
  EXPECT_EQ(text.rfind("$ORIGIN local.zone.\nlocal.zone.\t60\tIN\tSOA\t", 0), 0u) << text;
  Zone again = parse_zone_text(text, k_origin, "dump");
  EXPECT_EQ(again.records(), zone.records());
}

// Addresses and names are printed without ldns (compaction writes whole zones); what they print
// must read back the same, odd labels included.
TEST(DnsZone, CommonTypesDumpAndReload) {
  Zone zone = sample();
  for (const char* text :
       {"web 60 IN A 10.0.0.9", "v6 60 IN AAAA 2001:db8::1", "v6 60 IN AAAA ::ffff:10.0.0.1",
        "alias 300 IN CNAME web", "sub 60 IN NS ns.elsewhere.", "9 60 IN PTR web",
        "odd\\.dot\\032space 60 IN A 10.0.0.10", "odd\\.dot\\032space 60 IN TXT \"kept by ldns\""})
    zone.add(parse_record(text, k_origin));
  std::string dumped = zone_to_text(zone);
  EXPECT_NE(dumped.find("web.local.zone.\t60\tIN\tA\t10.0.0.9\n"), std::string::npos) << dumped;
  EXPECT_NE(dumped.find("odd\\.dot\\032space.local.zone.\t60\tIN\tA\t10.0.0.10\n"), std::string::npos)
      << dumped;
  EXPECT_EQ(parse_zone_text(dumped, k_origin, "dump").records(), zone.records());
}

// proto's printer (what `dockerops dns:show` prints without ldns) lays every type it knows out as
// ldns does, and what it prints for the others (RFC 3597 generic form) reads back the same.
TEST(DnsZone, ProtoPrinterMatchesLdns) {
  for (const char* text :
       {"web 60 IN A 10.0.0.9", "v6 60 IN AAAA 2001:db8::1", "@ 60 IN NS dns", "www 300 IN CNAME web",
        "9 60 IN PTR web.local.zone.", "mail 60 IN MX 10 mx1.Example.", "_sip._udp 60 IN SRV 0 5 5060 sip",
        "@ 60 IN SOA dns hostmaster 4000000000 3600 600 86400 30", "old 60 IN DNAME new.example.",
        "t 60 IN TXT \"a \\\"quoted\\\" \\\\ text\" \"two\\001\\255bytes\" \"\""}) {
    Record rr = parse_record(text, k_origin);
    std::string wire = rr.owner;
    for (std::uint16_t v : {rr.type, k_class_in, static_cast<std::uint16_t>(rr.ttl >> 16),
                            static_cast<std::uint16_t>(rr.ttl), static_cast<std::uint16_t>(rr.rdata.size())})
      append16(wire, v);
    wire += rr.rdata;
    ldns_rr* parsed = nullptr;
    std::size_t pos = 0;
    ASSERT_EQ(ldns_wire2rr(&parsed, reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size(), &pos,
                           LDNS_SECTION_ANSWER),
              LDNS_STATUS_OK);
    char* printed = ldns_rr2str(parsed);
    std::string expected = printed;
    free(printed); // NOLINT: ldns allocates with malloc
    ldns_rr_free(parsed);
    expected.erase(expected.find_last_not_of(" \n") + 1);
    std::optional<std::string> ours = known_record_to_text(rr);
    ASSERT_TRUE(ours) << text;
    EXPECT_EQ(*ours, expected) << text;
    EXPECT_EQ(parse_record(*ours, k_origin), rr) << text;
  }
  Record unknown{name_from_text("x.local.zone."), 65000, 60, std::string("\x0a\x00\x00\x01", 4)};
  EXPECT_FALSE(known_record_to_text(unknown));
  EXPECT_EQ(record_to_text(unknown), "x.local.zone.\t60\tIN\tTYPE65000\t\\# 4 0a000001");
  EXPECT_EQ(parse_record(record_to_text(unknown), k_origin), unknown);
}

// Records come out in canonical name order (RFC 4034 §6.1, its own example in §6.1 adapted):
// labels compared from the right, a shorter label first, bytes unsigned, \000 and \001 included.
TEST(DnsZone, RecordsAreInCanonicalOrder) {
  Zone zone = sample();
  for (const char* owner :
       {"z", "\\001.z", "*.z", "\\200.z", "a", "yljkjljk.a", "Z.a", "zABC.a", "\\000.a", "\\001.a", "a.b"})
    zone.add(parse_record(fmt::format("{} 60 IN TXT x", owner), k_origin));
  std::vector<std::string> order;
  for (const Record& rr : zone.records())
    if (rr.type == rr_type::txt)
      order.push_back(name_to_text(rr.owner));
  EXPECT_EQ(order,
            (std::vector<std::string>{"a.local.zone.", "\\000.a.local.zone.", "\\001.a.local.zone.",
                                      "yljkjljk.a.local.zone.", "z.a.local.zone.", "zabc.a.local.zone.",
                                      "a.b.local.zone.", "txt.local.zone.", "z.local.zone.",
                                      "\\001.z.local.zone.", "*.z.local.zone.", "\\200.z.local.zone."}));
}

TEST(DnsZone, BadZoneFilesNameTheLine) {
  try {
    parse_zone_text("@ IN SOA dns hostmaster 1 2 3 4 5\n@ IN NS dns\nweb IN A not-an-ip\n", k_origin, "z.db");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("z.db:3: bad record:", 0), 0u) << e.what();
  }
  EXPECT_THROW(parse_zone_text("@ 60 IN NS dns\n", k_origin, "nosoa.db"), Error);
  EXPECT_THROW(parse_zone_text("$TTL 60\n@ IN SOA dns h 1 2 3 4 5\n@ IN NS dns\nx.other. IN A 1.2.3.4\n",
                               k_origin, "out.db"),
               Error);
}

TEST(DnsZone, SecondSoaIsRefusedWithItsLine) {
  try {
    parse_zone_text("@ IN SOA dns h 1 2 3 4 5\n@ IN NS dns\n@ IN SOA dns h 2 2 3 4 5\n", k_origin, "two.db");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "two.db:3: a second SOA record");
  }
}

TEST(DnsZone, DirectivesAndOwnerContinuationApply) {
  // $TTL, $ORIGIN and a line without an owner (the previous owner's) carry over to later records.
  Zone zone = parse_zone_text("$TTL 90\n@ IN SOA dns h 1 2 3 4 5\n  IN NS dns\n$ORIGIN api.local.zone.\n"
                              "web IN A 10.0.0.1\n    IN A 10.0.0.2\n",
                              k_origin, "d.db");
  const auto* ns = zone.find(k_origin, rr_type::ns);
  ASSERT_NE(ns, nullptr);
  const auto* a = zone.find(name_from_text("web.api.local.zone."), rr_type::a);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->size(), 2u);
  EXPECT_EQ(a->ttl(), 90u);
}

TEST(DnsZone, MinimalZoneHasSoaNsAndSelf) {
  Zone zone = make_minimal_zone(k_origin, name_from_text("dns.local.zone."), "172.30.0.2");
  EXPECT_EQ(zone.serial(), 1u);
  EXPECT_NE(zone.find(k_origin, rr_type::ns), nullptr);
  EXPECT_NE(zone.find(name_from_text("dns.local.zone."), rr_type::a), nullptr);
  Zone v6 = make_minimal_zone(k_origin, name_from_text("dns.local.zone."), "fd00::2");
  EXPECT_NE(v6.find(name_from_text("dns.local.zone."), rr_type::aaaa), nullptr);
}

TEST(DnsZone, TransactionsAreAllOrNothing) {
  ZoneStore store(sample());
  auto before = store.snapshot();
  WireName api = name_from_text("api.local.zone.");
  {
    auto txn = store.begin();
    txn.zone().add(parse_record("api 60 IN A 10.0.0.1", k_origin));
    txn.zone().set_serial(8);
    // Readers still see the old version until commit.
    EXPECT_EQ(store.snapshot()->find(api, rr_type::a), nullptr);
    txn.commit();
  }
  auto after = store.snapshot();
  EXPECT_EQ(after->serial(), 8u);
  EXPECT_NE(after->find(api, rr_type::a), nullptr);
  EXPECT_EQ(before->serial(), 7u); // the old snapshot is untouched (copy-on-write)
  EXPECT_EQ(before->find(api, rr_type::a), nullptr);
  EXPECT_EQ(store.generation(), 1u);
  {
    auto txn = store.begin();
    txn.zone().remove_name(name_from_text("web.local.zone."));
    // destroyed without commit: rolled back
  }
  EXPECT_NE(store.snapshot()->find(name_from_text("web.local.zone."), rr_type::a), nullptr);
  EXPECT_EQ(store.generation(), 1u);
}

TEST(DnsZone, ZoneSetPicksTheLongestOrigin) {
  ZoneSet zones;
  zones.add(sample());
  zones.add(make_minimal_zone(name_from_text("sub.local.zone."), name_from_text("dns.local.zone."), ""));
  EXPECT_EQ(zones.find(name_from_text("a.sub.local.zone."))->origin(), name_from_text("sub.local.zone."));
  EXPECT_EQ(zones.find(name_from_text("a.local.zone."))->origin(), k_origin);
  EXPECT_EQ(zones.find(name_from_text("example.com.")), nullptr);
  EXPECT_THROW(zones.add(sample()), Error);
}

} // namespace
} // namespace dockerops::dns
