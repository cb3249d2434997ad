// Names inside rdata through the whole path (issue 19 item 1): every type whose rdata carries
// names (MX, SRV, CNAME, PTR, NS, SOA) is added by a signed UPDATE whose rdata names are
// compressed as clients send them, or not, and read back from the zone, by query and by AXFR,
// each parsed by ldns (an independent parser).

#include "dns_query_support.hpp"
#include "dns_update_support.hpp"

#include "dns/proto/bytes.hpp"
#include "dns/server/transfer.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>

namespace dockerops::dns::test {
namespace {

// A name in rdata or an owner: `label` then the zone name, either spelt out or
// as a compression pointer to the zone section's name at offset 12.
struct Name {
  std::string label; // relative labels ("_sip._udp"); empty: the zone name itself
  bool compressed = false;
};

// An UPDATE of local.zone. written by hand, so that names can be compressed.
class HandUpdate {
public:
  explicit HandUpdate(std::uint16_t id) : m_id(id) {
    append16(m_wire, id);
    append16(m_wire, static_cast<std::uint16_t>(opcode::update << 11));
    for (std::uint16_t count : {1, 0, 0, 0})
      append16(m_wire, count);
    append_bytes(m_wire, origin());
    append16(m_wire, rr_type::soa);
    append16(m_wire, k_class_in);
  }

  // Adds `owner` `type` with rdata `prefix` + names + `suffix`; the owner is always compressed.
  HandUpdate& add(const std::string& owner, std::uint16_t type, std::string_view prefix,
                  const std::vector<Name>& names, std::string_view suffix = {}) {
    write_name({owner, true});
    append16(m_wire, type);
    append16(m_wire, k_class_in);
    append32(m_wire, 300);
    const std::size_t rdlength_at = m_wire.size();
    append16(m_wire, 0);
    append_bytes(m_wire, prefix);
    for (const Name& n : names)
      write_name(n);
    append_bytes(m_wire, suffix);
    put16(m_wire.data() + rdlength_at, static_cast<std::uint16_t>(m_wire.size() - rdlength_at - 2));
    put16(m_wire.data() + 8, static_cast<std::uint16_t>(get16(m_wire.data() + 8) + 1)); // UPCOUNT
    return *this;
  }

  Bytes signed_wire() const {
    Bytes wire = m_wire;
    tsig_sign(wire, test_key(), k_now, k_tsig_fudge, m_id);
    return wire;
  }

private:
  void write_name(const Name& n) {
    if (!n.label.empty()) {
      WireName labels = name_from_text(n.label + ".");
      append_bytes(m_wire, std::string_view(labels).substr(0, labels.size() - 1)); // without the root
    }
    if (n.compressed) {
      append16(m_wire, 0xc000 | k_header_size);
    } else {
      append_bytes(m_wire, origin());
    }
  }

  std::uint16_t m_id;
  Bytes m_wire;
};

std::string u16(std::uint16_t v) {
  std::string out;
  append16(out, v);
  return out;
}

std::string soa_numbers(std::uint32_t serial) {
  std::string out;
  for (std::uint32_t v : {serial, 3600u, 600u, 86400u, 60u})
    append32(out, v);
  return out;
}

class DnsUpdateRdata : public ::testing::TestWithParam<bool> {
protected:
  // The answer section of a query by the in-process query engine.
  std::set<std::string> answer(const std::string& name, std::uint16_t type) {
    QueryRunner runner(m_fixture.zones);
    EXPECT_EQ(runner.run(query(name, type), true), Action::reply);
    Pkt pkt = runner.parsed();
    if (!pkt)
      return {};
    EXPECT_EQ(ldns_pkt_get_rcode(pkt.get()), LDNS_RCODE_NOERROR) << name;
    return texts(ldns_pkt_answer(pkt.get()));
  }

  // Every record of an AXFR of the zone (the closing SOA included).
  std::set<std::string> transfer() {
    TransferRequest request;
    request.zone = m_fixture.zone();
    request.key = test_key();
    request.id = 9;
    request.question = origin();
    append16(request.question, rr_type::axfr);
    append16(request.question, k_class_in);
    TransferWriter writer(request, 512);
    std::set<std::string> out;
    Bytes message;
    while (writer.next(message, k_now)) {
      Pkt pkt = parse(message);
      EXPECT_TRUE(pkt) << "ldns rejects a transfer message";
      std::set<std::string> part = pkt ? texts(ldns_pkt_answer(pkt.get())) : std::set<std::string>{};
      out.insert(part.begin(), part.end());
    }
    return out;
  }

  UpdateFixture m_fixture;
};

TEST_P(DnsUpdateRdata, EveryTypeWithNamesReadsBackByQueryAndTransfer) {
  const bool compressed = GetParam();
  auto name = [&](const std::string& label) { return Name{label, compressed}; };
  HandUpdate update(77);
  update.add("mail", rr_type::mx, u16(10), {name("mx1")})
      .add("_sip._udp", rr_type::srv, u16(0) + u16(5) + u16(5060), {name("sip")})
      .add("alias2", rr_type::cname, "", {name("web")})
      .add("9", rr_type::ptr, "", {name("web")})
      .add("", rr_type::ns, "", {name("ns2")})
      .add("", rr_type::soa, "", {name("ns"), name("hostmaster")}, soa_numbers(1000));
  std::vector<std::uint8_t> reply = m_fixture.send_wire(update.signed_wire());
  ASSERT_EQ(rcode_of(reply), rcode::noerror);

  const std::vector<std::pair<std::string, std::uint16_t>> added = {
      {"mail.local.zone.", rr_type::mx},      {"_sip._udp.local.zone.", rr_type::srv},
      {"alias2.local.zone.", rr_type::cname}, {"9.local.zone.", rr_type::ptr},
      {"local.zone.", rr_type::ns},           {"local.zone.", rr_type::soa}};
  const std::set<std::string> expected = {
      "mail.local.zone. 300 IN MX 10 mx1.local.zone.",
      "_sip._udp.local.zone. 300 IN SRV 0 5 5060 sip.local.zone.",
      "alias2.local.zone. 300 IN CNAME web.local.zone.",
      "9.local.zone. 300 IN PTR web.local.zone.",
      "local.zone. 300 IN NS ns2.local.zone.",
      "local.zone. 300 IN SOA ns.local.zone. hostmaster.local.zone. 1000 3600 600 86400 60"};

  // The zone holds the names uncompressed.
  auto zone = m_fixture.zone();
  EXPECT_EQ(zone->find(name_from_text("mail.local.zone."), rr_type::mx)->rdata(0),
            u16(10) + name_from_text("mx1.local.zone."));
  EXPECT_EQ(zone->serial(), 1000u);

  std::set<std::string> answered;
  for (const auto& [owner, type] : added) {
    std::set<std::string> part = answer(owner, type);
    answered.insert(part.begin(), part.end());
  }
  std::set<std::string> transferred = transfer();
  for (const std::string& line : expected) {
    EXPECT_TRUE(answered.count(line)) << "by query: " << line;
    EXPECT_TRUE(transferred.count(line)) << "by AXFR: " << line;
  }
}

INSTANTIATE_TEST_SUITE_P(Names, DnsUpdateRdata, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "Compressed" : "Uncompressed";
                         });

} // namespace
} // namespace dockerops::dns::test
