// TSIG (RFC 8945) and BIND key files: our MAC against ldns's in both
// directions, every server-side error, and the replay cache.

#include "dns_update_support.hpp"

#include "base/error.hpp"
#include "dns/proto/key_file.hpp"
#include "dns/proto/wire.hpp"
#include "dns/zone/ldns.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <ctime>
#include <filesystem>

namespace dockerops::dns::test {
namespace {

std::string hex(std::string_view bytes) {
  std::string out;
  for (char c : bytes)
    out += fmt::format("{:02x}", static_cast<unsigned char>(c));
  return out;
}

std::uint64_t wall_now() {
  return static_cast<std::uint64_t>(std::time(nullptr));
}

TEST(DnsKeyFile, ParsesTsigKeygenOutput) {
  auto keys = parse_key_file(
      "key \"Dockerops-Demo\" {\n\talgorithm hmac-sha256;\n\tsecret \"QkJCQkJC\";\n};\n", "dns.key");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "dockerops-demo.");
  EXPECT_EQ(keys[0].algorithm, "hmac-sha256.");
  EXPECT_EQ(keys[0].secret, "BBBBBB");
}

TEST(DnsKeyFile, FormatIsTsigKeygens) {
  // The layout tsig-keygen prints and the one dns_update_nsupdate.sh feeds to `nsupdate -k`.
  TsigKey key{"dockerops-demo.", "hmac-sha256.", "BBBBBB"};
  EXPECT_EQ(format_key_file(key),
            "key \"dockerops-demo.\" {\n\talgorithm hmac-sha256;\n\tsecret \"QkJCQkJC\";\n};\n");
}

TEST(DnsKeyFile, RoundTripAndComments) {
  TsigKey key = generate_key("dockerops-demo");
  EXPECT_EQ(key.secret.size(), 32u);
  std::string text = "# generated\n// by a test\n/* block\ncomment */\n" + format_key_file(key);
  auto keys = parse_key_file(text, "dns.key");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, key.name);
  EXPECT_EQ(keys[0].secret, key.secret);
  EXPECT_NE(generate_key("x").secret, generate_key("x").secret);
}

TEST(DnsKeyFile, ErrorsNameFileAndLine) {
  auto message = [](std::string_view text) {
    try {
      parse_key_file(text, "dns.key");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("key \"k.\" {\n algoritm hmac-sha256;\n secret \"QkJC\";\n};"),
            "dns.key:2: unknown key field \"algoritm\"; did you mean \"algorithm\"?");
  EXPECT_EQ(message("key \"k.\" {\n algorithm hmac-md5;\n secret \"QkJC\";\n};"),
            "dns.key:2: key \"k.\": unsupported algorithm \"hmac-md5\"; use hmac-sha256");
  EXPECT_EQ(message("key \"k.\" { algorithm hmac-sha256; secret \"!!\"; };"),
            "dns.key:1: key \"k.\": secret is not valid base64");
  EXPECT_EQ(message("key \"k.\" { algorithm hmac-sha256; };"), "dns.key:1: key \"k.\" has no secret");
  EXPECT_EQ(message(""),
            "dns.key: no key found; expected key \"name.\" { algorithm hmac-sha256; secret \"...\"; };");
}

TEST(DnsKeyFile, WrittenWithMode0600) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("dnsupdate-key-{}", ::getpid());
  std::filesystem::create_directories(dir);
  TsigKey key = generate_key("dockerops-demo.");
  write_key_file(dir / "dns.key", key);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "dns.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read_key_file(dir / "dns.key")[0].secret, key.secret);
  std::filesystem::remove_all(dir);
}

TEST(DnsTsig, HmacSha256MatchesRfc4231) {
  std::string data = "what do ya want for nothing?";
  std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  EXPECT_EQ(hex(hmac_sha256("Jefe", bytes)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(DnsTsig, VerifiesARequestSignedByLdns) {
  TsigKey key = test_key();
  Keyring ring;
  ring.add(key);
  std::vector<std::uint8_t> unsigned_wire = UpdateBuilder(origin(), 77).add(rr("x A 10.1.1.1")).wire();
  ldns_pkt* pkt = nullptr;
  ASSERT_EQ(ldns_wire2pkt(&pkt, unsigned_wire.data(), unsigned_wire.size()), LDNS_STATUS_OK);
  std::string b64 = base64_encode(key.secret);
  ASSERT_EQ(ldns_pkt_tsig_sign(pkt, key.name.c_str(), b64.c_str(), 300, "hmac-sha256.", nullptr),
            LDNS_STATUS_OK);
  std::uint8_t* raw = nullptr;
  std::size_t size = 0;
  ASSERT_EQ(ldns_pkt2wire(&raw, pkt, &size), LDNS_STATUS_OK);
  std::vector<std::uint8_t> wire(raw, raw + size);
  std::free(raw);
  ldns_pkt_free(pkt);
  EXPECT_EQ(tsig_verify_request(wire, ring, wall_now(), nullptr).status, TsigStatus::ok);
  wire[wire.size() - 10] ^= 1; // a MAC byte
  EXPECT_EQ(tsig_verify_request(wire, ring, wall_now(), nullptr).status, TsigStatus::badsig);
}

TEST(DnsTsig, LdnsVerifiesOurRequestAndResponse) {
  TsigKey key = test_key();
  std::string b64 = base64_encode(key.secret);
  std::vector<std::uint8_t> request = UpdateBuilder(origin(), 78).add(rr("x A 10.1.1.1")).wire();
  std::string mac = tsig_sign(request, key, wall_now(), 300, 78);
  ldns_pkt* pkt = nullptr;
  ASSERT_EQ(ldns_wire2pkt(&pkt, request.data(), request.size()), LDNS_STATUS_OK);
  EXPECT_TRUE(
      ldns_pkt_tsig_verify(pkt, request.data(), request.size(), key.name.c_str(), b64.c_str(), nullptr));
  ldns_pkt_free(pkt);

  std::vector<std::uint8_t> response(request.begin(), request.begin() + 12);
  response[2] |= 0x80;
  for (std::size_t i = 4; i < 12; ++i)
    response[i] = 0;
  tsig_sign(response, key, wall_now(), 300, 78, TsigError::noerror, {}, &mac);
  ASSERT_EQ(ldns_wire2pkt(&pkt, response.data(), response.size()), LDNS_STATUS_OK);
  ldns_rdf* request_mac = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, 0, nullptr);
  std::vector<std::uint8_t> mac_rdf = {0, static_cast<std::uint8_t>(mac.size())};
  mac_rdf.insert(mac_rdf.end(), mac.begin(), mac.end());
  ldns_rdf_deep_free(request_mac);
  request_mac = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, mac_rdf.size(), mac_rdf.data());
  EXPECT_TRUE(ldns_pkt_tsig_verify(pkt, response.data(), response.size(), key.name.c_str(), b64.c_str(),
                                   request_mac));
  ldns_rdf_deep_free(request_mac);
  ldns_pkt_free(pkt);
}

TEST(DnsTsig, TruncatedMac) {
  TsigKey key = test_key();
  Keyring ring;
  ring.add(key);
  std::vector<std::uint8_t> wire = UpdateBuilder(origin(), 5).wire();
  std::vector<std::uint8_t> full = wire;
  tsig_sign(full, key, k_now, 300, 5);
  std::vector<std::uint8_t> cut = with_truncated_mac(full, 16); // valid but truncated
  EXPECT_EQ(tsig_verify_request(cut, ring, k_now, nullptr).status, TsigStatus::badtrunc);
}

TEST(DnsTsig, BadKeyReplyIsUnsignedWithError17) {
  UpdateFixture f;
  UpdateBuilder b = f.builder().add(rr("x A 10.1.1.1"));
  std::vector<std::uint8_t> wire = b.wire();
  TsigKey stranger = test_key();
  stranger.name = "stranger.";
  tsig_sign(wire, stranger, f.now, 300, get16(wire.data()));
  auto reply = f.send_wire(wire);
  EXPECT_EQ(rcode_of(reply), rcode::notauth);
  auto t = tsig_find(reply);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->error, 17);
  EXPECT_TRUE(t->mac.empty());
  EXPECT_EQ(f.zone()->find(name("x"), rr_type::a), nullptr);
}

TEST(DnsTsig, BadSigReplyIsUnsignedWithError16) {
  UpdateFixture f;
  std::vector<std::uint8_t> wire = f.builder().add(rr("x A 10.1.1.1")).wire();
  TsigKey wrong = test_key();
  wrong.secret[0] ^= 1;
  tsig_sign(wire, wrong, f.now, 300, get16(wire.data()));
  auto reply = f.send_wire(wire);
  EXPECT_EQ(rcode_of(reply), rcode::notauth);
  auto t = tsig_find(reply);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->error, 16);
  EXPECT_TRUE(t->mac.empty());
}

TEST(DnsTsig, BadTimeReplyIsSignedWithServerTime) {
  UpdateFixture f;
  std::string mac;
  auto wire = f.signed_wire(f.builder().add(rr("x A 10.1.1.1")), f.now - 86400, &mac);
  auto reply = f.send_wire(wire);
  EXPECT_EQ(rcode_of(reply), rcode::notauth);
  TsigRecord t;
  // The MAC is valid (signed with our key over the request MAC); the time is the client's.
  EXPECT_EQ(tsig_verify_response(reply, f.key, mac, f.now - 86400, &t), TsigStatus::ok);
  EXPECT_EQ(t.error, 18);
  ASSERT_EQ(t.other.size(), 6u);
  std::uint64_t server_time = 0;
  for (char c : t.other)
    server_time = server_time << 8 | static_cast<unsigned char>(c);
  EXPECT_EQ(server_time, f.now);
  EXPECT_EQ(f.zone()->find(name("x"), rr_type::a), nullptr);
}

TEST(DnsTsig, ByteIdenticalReplayIsRefused) {
  UpdateFixture f;
  auto wire = f.signed_wire(f.builder().delete_rr(rr("web A 10.0.0.1")));
  EXPECT_EQ(rcode_of(f.send_wire(wire)), rcode::noerror);
  EXPECT_EQ(f.send(f.builder().add(rr("web A 10.0.0.1"))), rcode::noerror); // someone re-adds it
  auto reply = f.send_wire(wire);                                           // the old delete replayed
  EXPECT_EQ(rcode_of(reply), rcode::refused);
  EXPECT_TRUE(f.zone()->find(name("web"), rr_type::a)->contains(rr("web A 10.0.0.1").rdata));
  auto t = tsig_find(reply);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->mac.size(), 32u); // signed: the request was authentic
}

TEST(DnsTsig, ReplayCacheForgetsExpiredEntries) {
  ReplayCache cache(4);
  std::string a(32, 'a'), b(32, 'b');
  EXPECT_TRUE(cache.insert(a, 100, 50));
  EXPECT_FALSE(cache.insert(a, 100, 60));
  EXPECT_TRUE(cache.insert(b, 100, 60));
  EXPECT_TRUE(cache.insert(a, 300, 200)); // expired at 100, now 200
}

TEST(DnsTsig, ClientFudgeIsCappedByPolicy) {
  TsigKey key = test_key();
  Keyring ring;
  ring.add(key);
  std::vector<std::uint8_t> wire = UpdateBuilder(origin(), 5).wire();
  tsig_sign(wire, key, k_now - 3600, 65535, 5); // claims an 18-hour window
  EXPECT_EQ(tsig_verify_request(wire, ring, k_now, nullptr).status, TsigStatus::badtime);
}

} // namespace
} // namespace dockerops::dns::test
