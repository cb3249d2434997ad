// libFuzzer target: arbitrary bytes through the wire validator and the query
// path (UDP and TCP limits), on a small zone with CNAMEs, an empty
// non-terminal and an RRset too big for UDP. Invariants checked beyond "no
// crash / no sanitizer report": every reply parses with ldns (an independent
// parser), fits the transport's limit, and valid messages can be walked with
// RecordReader, read_name and expand_rdata.

#include "dns/ldns.hpp"
#include "dns/query.hpp"
#include "dns/zone_file.hpp"

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
        "_http._tcp.web IN SRV 0 0 80 web\ntxt IN TXT \"hello\"\n";
    for (int i = 0; i < 120; ++i)
      text += "big IN A 10.1.0." + std::to_string(i) + "\n";
    s->add(parse_zone_text(text, name_from_text("local.zone."), "fuzz"));
    s->add(make_minimal_zone(name_from_text("0.0.127.in-addr.arpa."), name_from_text("dns.local.zone."), ""));
    return s;
  }();
  return *set;
}

void check_reply(const std::vector<std::uint8_t>& reply, std::size_t size, std::size_t limit) {
  if (size > limit || size < k_header_size)
    std::abort();
  ldns_pkt* pkt = nullptr;
  if (ldns_wire2pkt(&pkt, reply.data(), size) != LDNS_STATUS_OK)
    std::abort();
  ldns_pkt_free(pkt);
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
