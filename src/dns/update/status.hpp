#pragma once

#include <cstdint>

namespace dockerops::dns {

// Why the update path stopped (or ok), richer than the wire RCODE so logs and
// tests can tell the cases apart. update_rcode() is the one place that maps it
// to the RCODE of RFC 2136 §2.2 / RFC 8945 §5.2.
enum class UpdateStatus {
  ok,
  malformed,       // FORMERR: zone section, prerequisite or update RR (RFC 2136 §3.1.1, §3.2, §3.4.1)
  zone_class,      // NOTIMP: zone class other than IN
  zone_not_ours,   // NOTAUTH: not authoritative for the zone (§3.1.1)
  not_signed,      // REFUSED: unsigned updates are never accepted (RFC 3007 §4)
  tsig_badkey,     // NOTAUTH + TSIG BADKEY (RFC 8945 §5.2.1)
  tsig_badsig,     // NOTAUTH + TSIG BADSIG (§5.2.2)
  tsig_badtrunc,   // NOTAUTH + TSIG BADTRUNC (§5.2.2.1)
  tsig_badtime,    // NOTAUTH + TSIG BADTIME (§5.2.3)
  replay,          // REFUSED: a byte-identical signed request seen inside its window
  policy,          // REFUSED: too many RRs in the update or at a name, or a DNAME (§3.3)
  prereq_nxdomain, // NXDOMAIN: "name is in use" failed (§2.4.4)
  prereq_yxdomain, // YXDOMAIN: "name is not in use" failed (§2.4.5)
  prereq_nxrrset,  // NXRRSET: "RRset exists" failed (§2.4.1, §2.4.2)
  prereq_yxrrset,  // YXRRSET: "RRset does not exist" failed (§2.4.3)
  notzone,         // NOTZONE: an owner outside the zone (§3.2, §3.4.1.3)
  storage,         // SERVFAIL: the journal could not be written (§3.5)
};

// The wire RCODE for a status.
std::uint16_t update_rcode(UpdateStatus status);

// A short lowercase description for logs.
const char* update_status_text(UpdateStatus status);

} // namespace dockerops::dns
