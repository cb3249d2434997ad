// Zone transfers: TransferWriter splits a zone into messages that respect the
// size limit, carry the question once and the SOA first and last, compress
// names, and are signed per RFC 8945 §5.3.1; TsigStreamVerifier and ldns both
// verify that stream, and a tampered message is rejected. The query path's
// access rule (unsigned REFUSED, other zones NOTAUTH, UDP NOTIMP).

#include "dns_update_support.hpp"

#include "dns/proto/wire.hpp"
#include "dns/proto/wire_reader.hpp"
#include "dns/server/query.hpp"
#include "dns/server/transfer.hpp"
#include "dns/zone/ldns.hpp"

#include <gtest/gtest.h>

namespace dockerops::dns::test {
namespace {

std::shared_ptr<const Zone> big_zone(int names) {
  std::string text = k_zone_text;
  for (int i = 0; i < names; ++i)
    text += fmt::format("host{} IN A 10.1.{}.{}\nhost{} IN TXT \"instance {}\"\n", i, i / 250, i % 250, i, i);
  return std::make_shared<const Zone>(parse_zone_text(text, origin(), "big.zone"));
}

// A signed AXFR query for local.zone. and its MAC.
std::vector<std::uint8_t> axfr_query(std::uint16_t id, std::string& mac,
                                     std::uint16_t qtype = rr_type::axfr) {
  std::string q;
  append16(q, id);
  append16(q, 0);
  append16(q, 1);
  q.append(6, '\0');
  q += origin();
  append16(q, qtype);
  append16(q, k_class_in);
  std::vector<std::uint8_t> wire(q.begin(), q.end());
  mac = tsig_sign(wire, test_key(), k_now, k_tsig_fudge, id);
  return wire;
}

std::vector<std::vector<std::uint8_t>> write_all(TransferWriter& writer) {
  std::vector<std::vector<std::uint8_t>> out;
  std::vector<std::uint8_t> message;
  while (writer.next(message, k_now))
    out.push_back(message);
  return out;
}

// The messages of a signed transfer of a zone with `names` extra names, at most `limit` bytes each;
// `mac` receives the request MAC they are signed over.
std::vector<std::vector<std::uint8_t>> signed_stream(int names, std::size_t limit, std::string& mac);

TransferRequest request_for(std::shared_ptr<const Zone> zone, const std::string& request_mac) {
  TransferRequest r;
  r.zone = std::move(zone);
  r.key = test_key();
  r.request_mac = request_mac;
  r.id = 4242;
  r.question = origin();
  append16(r.question, rr_type::axfr);
  append16(r.question, k_class_in);
  return r;
}

std::vector<std::vector<std::uint8_t>> signed_stream(int names, std::size_t limit, std::string& mac) {
  axfr_query(4242, mac);
  TransferWriter writer(request_for(big_zone(names), mac), limit);
  return write_all(writer);
}

TEST(DnsTransfer, MessagesSplitWithinTheLimitSoaFirstAndLast) {
  auto zone = big_zone(500);
  TransferWriter writer(request_for(zone, std::string(32, 'm')), 1024);
  auto messages = write_all(writer);
  ASSERT_GT(messages.size(), 20u);
  EXPECT_EQ(writer.messages(), messages.size());
  std::vector<Record> got;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    ASSERT_LE(m.size(), 1024u);
    EXPECT_EQ(get16(m.data()), 4242);
    EXPECT_EQ(get16(m.data() + 4), i == 0 ? 1 : 0); // the question once (RFC 5936 §2.2.1)
    EXPECT_EQ(get16(m.data() + 10), 1);             // the TSIG alone
    std::span<const std::uint8_t> w(m);
    std::size_t pos = k_header_size;
    if (i == 0) {
      wire_reader::read_name(w, pos);
      pos += 4;
    }
    for (unsigned n = 0; n < get16(m.data() + 6); ++n)
      got.push_back(wire_reader::read_record(w, pos).rr);
    ASSERT_TRUE(tsig_find(m).has_value());
    EXPECT_EQ(tsig_find(m)->offset, pos) << "message " << i; // nothing but the TSIG after the answers
  }
  std::vector<Record> want = zone->records();
  want.push_back(want.front()); // the closing SOA
  EXPECT_EQ(got, want);
  // Compression pays: 1,000 RRs whose owners all end in local.zone.
  std::size_t bytes = 0;
  for (const auto& m : messages)
    bytes += m.size();
  EXPECT_LT(bytes, 60000u);
}

TEST(DnsTransfer, StreamVerifiesAndTamperingIsRejected) {
  std::string mac;
  auto messages = signed_stream(300, 2048, mac);
  ASSERT_GT(messages.size(), 3u);
  TsigKey key = test_key();
  {
    TsigStreamVerifier verifier(key, mac);
    for (const auto& m : messages)
      EXPECT_EQ(verifier.next(m, k_now), TsigStatus::ok);
    EXPECT_TRUE(verifier.finished());
  }
  {
    // A TTL changed in the third message: that message fails.
    auto tampered = messages;
    std::size_t ttl = k_header_size;
    wire_reader::read_name(tampered[2], ttl);
    tampered[2][ttl + 4 + 3] ^= 1;
    TsigStreamVerifier verifier(key, mac);
    EXPECT_EQ(verifier.next(tampered[0], k_now), TsigStatus::ok);
    EXPECT_EQ(verifier.next(tampered[1], k_now), TsigStatus::ok);
    EXPECT_EQ(verifier.next(tampered[2], k_now), TsigStatus::badsig);
  }
  {
    // Messages out of order, or a wrong request MAC, fail too.
    TsigStreamVerifier swapped(key, mac);
    EXPECT_EQ(swapped.next(messages[0], k_now), TsigStatus::ok);
    EXPECT_EQ(swapped.next(messages[2], k_now), TsigStatus::badsig);
    TsigStreamVerifier other(key, std::string(32, 'x'));
    EXPECT_EQ(other.next(messages[0], k_now), TsigStatus::badsig);
  }
  {
    // An unsigned message in between counts in the next MAC (§5.3.1) ...
    std::vector<std::uint8_t> stripped(messages[1].begin(),
                                       messages[1].begin() +
                                           static_cast<std::ptrdiff_t>(tsig_find(messages[1])->offset));
    stripped[11] = static_cast<std::uint8_t>(stripped[11] - 1);
    TsigStreamVerifier verifier(key, mac);
    EXPECT_EQ(verifier.next(messages[0], k_now), TsigStatus::ok);
    EXPECT_EQ(verifier.next(stripped, k_now), TsigStatus::unsigned_message);
    EXPECT_FALSE(verifier.finished());
    // ... so the signature of message 3, made over message 2 signed, does not match it.
    EXPECT_EQ(verifier.next(messages[2], k_now), TsigStatus::badsig);
  }
  // Too late: BADTIME.
  TsigStreamVerifier late(key, mac);
  EXPECT_EQ(late.next(messages[0], k_now + 1000), TsigStatus::badtime);
}

TEST(DnsTransfer, LdnsVerifiesEveryMessage) {
  std::string mac;
  auto messages = signed_stream(200, 1500, mac);
  ASSERT_GT(messages.size(), 3u);
  TsigKey key = test_key();
  std::string b64 = base64_encode(key.secret);
  std::string prior = mac;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    ldns_pkt* pkt = nullptr;
    ASSERT_EQ(ldns_wire2pkt(&pkt, m.data(), m.size()), LDNS_STATUS_OK);
    std::vector<std::uint8_t> mac_rdf = {0, static_cast<std::uint8_t>(prior.size())};
    mac_rdf.insert(mac_rdf.end(), prior.begin(), prior.end());
    ldns_rdf* prior_rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, mac_rdf.size(), mac_rdf.data());
    EXPECT_TRUE(ldns_pkt_tsig_verify_next(pkt, m.data(), m.size(), key.name.c_str(), b64.c_str(), prior_rdf,
                                          i == 0 ? 0 : 1))
        << "message " << i;
    ldns_rdf_deep_free(prior_rdf);
    ldns_pkt_free(pkt);
    prior = tsig_find(m)->mac;
  }
}

TEST(DnsTransfer, QueryPathAccessRule) {
  ZoneSet zones;
  zones.add(parse_zone_text(k_zone_text, origin(), "test.zone"));
  Keyring keys;
  keys.add(test_key());
  QueryEngine engine(zones);
  engine.set_tsig(&keys, [] { return k_now; });
  std::vector<std::uint8_t> reply(k_max_message_size);
  std::size_t size = 0;
  Packet packet;
  std::string mac;
  // Signed over TCP: a transfer of the zone as it is now.
  std::vector<std::uint8_t> query = axfr_query(7, mac);
  ASSERT_EQ(engine.handle(query, true, false, packet, reply, size), Action::transfer);
  TransferRequest request = engine.take_transfer();
  EXPECT_EQ(request.request_mac, mac);
  EXPECT_EQ(request.id, 7);
  EXPECT_EQ(request.zone->records(), zones.find_exact(origin())->snapshot()->records());
  // Signed over UDP: NOTIMP (RFC 5936 §4.2), signed.
  ASSERT_EQ(engine.handle(query, false, false, packet, reply, size), Action::reply);
  std::vector<std::uint8_t> answer(reply.begin(), reply.begin() + static_cast<std::ptrdiff_t>(size));
  EXPECT_EQ(rcode_of(answer), rcode::notimp);
  EXPECT_EQ(tsig_verify_response(answer, test_key(), mac, k_now), TsigStatus::ok);
  // Unsigned: REFUSED.
  std::vector<std::uint8_t> unsigned_query(
      query.begin(), query.begin() + static_cast<std::ptrdiff_t>(tsig_find(query)->offset));
  unsigned_query[11] = 0;
  ASSERT_EQ(engine.handle(unsigned_query, true, false, packet, reply, size), Action::reply);
  EXPECT_EQ(reply[3] & 0x0f, rcode::refused);
  // IXFR without the client's SOA in authority: FORMERR (RFC 1995 §3).
  std::vector<std::uint8_t> ixfr = axfr_query(8, mac, rr_type::ixfr);
  ASSERT_EQ(engine.handle(ixfr, true, false, packet, reply, size), Action::reply);
  EXPECT_EQ(reply[3] & 0x0f, rcode::formerr);
}

} // namespace
} // namespace dockerops::dns::test
