// libFuzzer target: arbitrary bytes through the wire validator and the query
// path (UDP and TCP limits), on a small zone with CNAMEs, an empty
// non-terminal and an RRset too big for UDP. Invariants checked beyond "no
// crash / no sanitizer report": every reply parses with ldns (an independent
// parser), fits the transport's limit, and valid messages can be walked with
// RecordReader, read_name and expand_rdata. The signed query path (RFC 8945) is fuzzed too: each
// input goes through an engine with a keyring (fuzz-made TSIGs reach BADKEY, BADSIG, BADTIME,
// BADTRUNC), and each input that validates unsigned is also signed with that key first, so the
// valid-signature path answers and signs whatever the fuzzer builds. Signed AXFR/IXFR over TCP
// (RFC 5936) are written to the end: every message parses and fits in 64 KB.

#include "dns/proto/tsig.hpp"
#include "dns/server/query.hpp"
#include "dns/server/transfer.hpp"
#include "dns/zone/ldns.hpp"
#include "dns/zone/zone_file.hpp"

#include <cstdlib>
#include <string>
#include <vector>

using namespace dockerops::dns;

namespace {

ZoneSet& zones() {
  static ZoneSet* set = [] {
    auto* s = new ZoneSet;
    std::string text =
        "$TTL 60\n@ IN SOA dns hostmaster 1 3600 600 86400 30\n@ IN NS dns\ndns IN A 127.0.0.1\n"
        "web IN A 10.0.0.1\nweb IN A 10.0.0.2\nweb IN AAAA fd00::1\nwww IN CNAME web\n"
        "loop1 IN CNAME loop2\nloop2 IN CNAME loop1\next IN CNAME example.com.\n"
        "_http._tcp.web IN SRV 0 0 80 web\ntxt IN TXT \"hello\"\nmail IN MX 10 web\n"
        // Wildcards, a delegation with glue (in-domain and sibling), a CNAME into it.
        "*.app IN A 10.0.0.50\n*.app IN MX 10 web\nsub IN NS ns1.sub\nsub IN NS dns\nns1.sub IN A 10.2.0.1\n"
        "deep IN CNAME x.sub\n";
    for (int i = 0; i < 120; ++i)
      text += "big IN A 10.1.0." + std::to_string(i) + "\n";
    s->add(parse_zone_text(text, name_from_text("local.zone."), "fuzz"));
    s->add(make_minimal_zone(name_from_text("0.0.127.in-addr.arpa."), name_from_text("dns.local.zone."), ""));
    return s;
  }();
  return *set;
}

constexpr std::uint64_t k_now = 1800000000; // a fixed clock: runs are reproducible

const TsigKey& fuzz_key() {
  static const TsigKey key{"fuzz-key.", "hmac-sha256.", std::string(32, '\x5a')};
  return key;
}

QueryEngine& signed_engine() {
  static Keyring* keys = [] {
    auto* k = new Keyring;
    k->add(fuzz_key());
    return k;
  }();
  static QueryEngine* engine = [] {
    auto* e = new QueryEngine(zones());
    e->set_tsig(keys, [] { return k_now; });
    return e;
  }();
  return *engine;
}

void check_reply(const std::vector<std::uint8_t>& reply, std::size_t size, std::size_t limit) {
  if (size > limit || size < k_header_size)
    std::abort();
  ldns_pkt* pkt = nullptr;
  if (ldns_wire2pkt(&pkt, reply.data(), size) != LDNS_STATUS_OK)
    std::abort();
  ldns_pkt_free(pkt);
}

// Handles one message with the signed engine; a transfer is written to its last message.
void run_signed(std::span<const std::uint8_t> wire, bool tcp, Packet& packet,
                std::vector<std::uint8_t>& reply) {
  std::size_t reply_size = 0;
  Action action = signed_engine().handle(wire, tcp, false, packet, reply, reply_size);
  if (action == Action::reply)
    check_reply(reply, reply_size, tcp ? k_max_message_size : k_edns_payload);
  if (action != Action::transfer)
    return;
  if (!tcp)
    std::abort(); // transfers only over TCP (RFC 5936 §4.2)
  TransferWriter writer(signed_engine().take_transfer());
  std::vector<std::uint8_t> message;
  while (writer.next(message, k_now))
    check_reply(message, message.size(), k_max_message_size);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static QueryEngine engine(zones());
  static std::vector<std::uint8_t> reply(k_max_message_size);
  std::span<const std::uint8_t> wire(data, size);
  Packet packet;
  for (bool tcp : {false, true}) {
    std::size_t reply_size = 0;
    engine.set_updates_enabled(tcp);
    Action action = engine.handle(wire, tcp, true, packet, reply, reply_size);
    if (action == Action::reply)
      check_reply(reply, reply_size, tcp ? k_max_message_size : k_edns_payload);
    if (action == Action::transfer)
      std::abort(); // without keys no transfer starts
    run_signed(wire, tcp, packet, reply);
  }
  if (validate(wire, packet).ok() && !packet.has_tsig && size + 128 < k_max_message_size) {
    std::vector<std::uint8_t> signed_wire(data, data + size);
    tsig_sign(signed_wire, fuzz_key(), k_now, k_tsig_fudge,
              static_cast<std::uint16_t>(size > 1 ? data[0] << 8 | data[1] : 0));
    for (bool tcp : {false, true})
      run_signed(signed_wire, tcp, packet, reply);
  }
  if (validate(wire, packet).ok()) {
    RecordReader reader(wire, packet);
    RecordView rr;
    WireName name;
    while (reader.next(rr)) {
      std::size_t pos = rr.owner_offset;
      if (!read_name(wire, pos, name))
        std::abort(); // validate() accepted it, so it must read back
      (void)expand_rdata(wire, rr, true);
    }
  }
  return 0;
}
