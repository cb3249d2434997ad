#include "dns/update/status.hpp"

#include "dns/proto/wire.hpp"

namespace dockerops::dns {

std::uint16_t update_rcode(UpdateStatus status) {
  switch (status) {
  case UpdateStatus::ok:
    return rcode::noerror;
  case UpdateStatus::malformed:
    return rcode::formerr;
  case UpdateStatus::zone_class:
    return rcode::notimp;
  case UpdateStatus::zone_not_ours:
  case UpdateStatus::tsig_badkey:
  case UpdateStatus::tsig_badsig:
  case UpdateStatus::tsig_badtrunc:
  case UpdateStatus::tsig_badtime:
    return rcode::notauth;
  case UpdateStatus::not_signed:
  case UpdateStatus::replay:
  case UpdateStatus::policy:
    return rcode::refused;
  case UpdateStatus::prereq_nxdomain:
    return rcode::nxdomain;
  case UpdateStatus::prereq_yxdomain:
    return rcode::yxdomain;
  case UpdateStatus::prereq_nxrrset:
    return rcode::nxrrset;
  case UpdateStatus::prereq_yxrrset:
    return rcode::yxrrset;
  case UpdateStatus::notzone:
    return rcode::notzone;
  case UpdateStatus::storage:
    return rcode::servfail;
  }
  return rcode::servfail;
}

const char* update_status_text(UpdateStatus status) {
  switch (status) {
  case UpdateStatus::ok:
    return "ok";
  case UpdateStatus::malformed:
    return "malformed update";
  case UpdateStatus::zone_class:
    return "zone class is not IN";
  case UpdateStatus::zone_not_ours:
    return "not authoritative for the zone";
  case UpdateStatus::not_signed:
    return "unsigned update refused";
  case UpdateStatus::tsig_badkey:
    return "unknown TSIG key";
  case UpdateStatus::tsig_badsig:
    return "bad TSIG signature";
  case UpdateStatus::tsig_badtrunc:
    return "truncated TSIG MAC";
  case UpdateStatus::tsig_badtime:
    return "TSIG time outside the fudge window";
  case UpdateStatus::replay:
    return "replayed signed update";
  case UpdateStatus::policy:
    return "update exceeds a record limit or adds a DNAME";
  case UpdateStatus::prereq_nxdomain:
    return "prerequisite: name not in use";
  case UpdateStatus::prereq_yxdomain:
    return "prerequisite: name in use";
  case UpdateStatus::prereq_nxrrset:
    return "prerequisite: rrset does not exist or differs";
  case UpdateStatus::prereq_yxrrset:
    return "prerequisite: rrset exists";
  case UpdateStatus::notzone:
    return "owner outside the zone";
  case UpdateStatus::storage:
    return "journal write failed";
  }
  return "unknown";
}

} // namespace dockerops::dns
