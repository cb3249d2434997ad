#pragma once

// Presentation form (RFC 1035 §5.1) of records, without ldns: `dockerops
// dns:show` prints transferred zones with it, and zone dumps use it for the
// types updates add (a compaction may write hundreds of thousands of them).

#include "dns/proto/record.hpp"

#include <optional>
#include <string>

namespace dockerops::dns {

// "owner\tTTL\tIN\tTYPE\tRDATA" with absolute names, laid out as ldns prints
// it, for A, AAAA, NS, CNAME, PTR, DNAME, MX, SRV, SOA and TXT; nullopt for
// other types or rdata that does not fit its type.
std::optional<std::string> known_record_to_text(const Record& rr);

// Any record: the types above as there, every other one in RFC 3597 §5's
// generic form ("TYPE99\t\\# 4 0a000001").
std::string record_to_text(const Record& rr);

// Mnemonic of a type ("MX"), or "TYPE<n>" (RFC 3597 §5).
std::string type_to_text(std::uint16_t type);

} // namespace dockerops::dns
