#pragma once

// Shared helpers for the update-path unit tests: a small zone, a signing key,
// and a context that runs batches in-process with a fixed clock.

#include "dns/proto/tsig.hpp"
#include "dns/proto/update_builder.hpp"
#include "dns/proto/wire_name.hpp"
#include "dns/update/context.hpp"
#include "dns/zone/zone_file.hpp"
#include "dns/zone/zone_store.hpp"

#include <fmt/format.h>

#include <memory>

namespace dockerops::dns::test {

inline constexpr std::uint64_t k_now = 1'700'000'000;

inline const char* k_zone_text = R"($ORIGIN local.zone.
$TTL 60
@ IN SOA ns hostmaster 1 3600 600 86400 60
@ IN NS ns
ns IN A 127.0.0.1
web IN A 10.0.0.1
web IN A 10.0.0.2
alias IN CNAME web
)";

inline WireName origin() {
  return name_from_text("local.zone.");
}
inline WireName name(std::string_view text) {
  return name_from_text(text, origin());
}
inline Record rr(std::string_view text) {
  return parse_record(text, origin(), 60);
}

inline TsigKey test_key() {
  TsigKey key;
  key.name = "dockerops-test.";
  key.secret = std::string(32, '\x42');
  return key;
}

inline std::uint16_t rcode_of(const std::vector<std::uint8_t>& reply) {
  return reply.at(3) & 0x0f;
}

// `full` (a message signed by tsig_sign) with its TSIG rebuilt around the
// first `mac_size` bytes of the MAC: a truncated MAC (RFC 8945 §5.2.2.1).
inline std::vector<std::uint8_t> with_truncated_mac(const std::vector<std::uint8_t>& full,
                                                    std::uint16_t mac_size) {
  auto rec = tsig_find(full);
  if (!rec)
    return full;
  const TsigRecord& t = *rec;
  std::vector<std::uint8_t> cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(t.offset));
  std::vector<std::uint8_t> rdata;
  auto push16 = [](std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
  };
  rdata.insert(rdata.end(), t.algorithm.begin(), t.algorithm.end());
  for (int s = 40; s >= 0; s -= 8)
    rdata.push_back(static_cast<std::uint8_t>(t.time_signed >> s));
  push16(rdata, t.fudge);
  push16(rdata, mac_size);
  rdata.insert(rdata.end(), t.mac.begin(), t.mac.begin() + mac_size);
  push16(rdata, t.original_id);
  push16(rdata, 0);
  push16(rdata, 0);
  cut.insert(cut.end(), t.key_name.begin(), t.key_name.end());
  for (std::uint16_t v : {std::uint16_t{250}, std::uint16_t{255}, std::uint16_t{0}, std::uint16_t{0},
                          static_cast<std::uint16_t>(rdata.size())})
    push16(cut, v);
  cut.insert(cut.end(), rdata.begin(), rdata.end());
  return cut; // ARCOUNT unchanged: the TSIG is still the last record
}

// A zone set with local.zone and an update context over it (no thread, no journal unless given).
struct UpdateFixture {
  ZoneSet zones;
  std::unique_ptr<UpdateContext> context;
  TsigKey key = test_key();
  std::uint64_t now = k_now;
  std::uint16_t next_id = 1;

  // `zone_file`: load the zone from this master file (which compaction rewrites) instead of `zone_text`.
  explicit UpdateFixture(std::string journal = {}, std::size_t cap = 64, const char* zone_text = k_zone_text,
                         const std::string& zone_file = {}) {
    if (zone_file.empty())
      zones.add(parse_zone_text(zone_text, origin(), "test.zone"));
    else
      zones.add(load_zone_file(zone_file, origin()), zone_file);
    UpdateConfig config;
    config.journal = std::move(journal);
    config.max_records_per_name = cap;
    context = std::make_unique<UpdateContext>(config, zones);
    context->add_key(key);
    context->set_clock([this] { return now; });
  }

  UpdateBuilder builder() { return UpdateBuilder(origin(), next_id++); }

  std::vector<std::uint8_t> signed_wire(const UpdateBuilder& b, std::uint64_t at = 0,
                                        std::string* mac = nullptr) {
    std::vector<std::uint8_t> wire = b.wire();
    std::uint16_t id = static_cast<std::uint16_t>(wire[0] << 8 | wire[1]);
    std::string m = tsig_sign(wire, key, at ? at : now, k_tsig_fudge, id);
    if (mac)
      *mac = m;
    return wire;
  }

  std::vector<std::uint8_t> send_wire(std::vector<std::uint8_t> wire) {
    std::vector<UpdateRequest> batch(1);
    batch[0].wire = std::move(wire);
    auto replies = context->process_batch(batch);
    return replies.at(0).value();
  }

  std::uint16_t send(const UpdateBuilder& b) { return rcode_of(send_wire(signed_wire(b))); }

  std::shared_ptr<const Zone> zone() { return zones.find_exact(origin())->snapshot(); }
};

} // namespace dockerops::dns::test
