#pragma once

// Master-file (RFC 1035 §5) input and output for zones and single records.
// Parsing goes through ldns (slow path only); the hot path never sees ldns.

#include "dns/zone/zone.hpp"

#include <string>
#include <string_view>

namespace dockerops::dns {

// Parses master-file text into a Zone for `origin`. $ORIGIN/$TTL and relative
// names work as in BIND; `default_ttl` applies when the file sets none.
// Records outside the zone or of a class other than IN are errors. Errors
// name the file and line: `local.zone.db:12: bad record: ...`. Calls
// Zone::check() at the end.
Zone parse_zone_text(std::string_view text, const WireName& origin, std::string_view filename,
                     std::uint32_t default_ttl = 3600);

// Reads and parses a master file (see parse_zone_text).
Zone load_zone_file(const std::string& path, const WireName& origin);

// The zone as master-file text: $ORIGIN, then Zone::records() one per line
// with absolute names. parse_zone_text(zone_to_text(z)) == z.
std::string zone_to_text(const Zone& zone);

// Parses one record in presentation form, e.g. "web 60 IN A 172.30.0.5"
// (class optional; relative names against `origin`). Throws a dns Error.
Record parse_record(std::string_view text, const WireName& origin, std::uint32_t default_ttl = 3600);

// The minimal apex used when no zone file is given: SOA (mname ns_name,
// rname hostmaster.<origin>, serial 1, refresh 3600, retry 600, expire 86400,
// minimum 60), NS ns_name, and ns_name A/AAAA ns_address when ns_name is in
// the zone and ns_address (an IPv4 or IPv6 literal) is non-empty. TTL `ttl`.
Zone make_minimal_zone(const WireName& origin, const WireName& ns_name, std::string_view ns_address,
                       std::uint32_t ttl = 60);

} // namespace dockerops::dns
