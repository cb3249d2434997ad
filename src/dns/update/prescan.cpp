#include "dns/update/prescan.hpp"

#include "dns/update/prereq.hpp"

namespace dockerops::dns {

UpdateStatus prescan_updates(const Zone& zone, const std::vector<UpdateRecord>& updates) {
  for (const UpdateRecord& up : updates) {
    const Record& rr = up.rr;
    if (!zone.in_zone(rr.owner)) // §3.4.1.3
      return UpdateStatus::notzone;
    if (up.rclass == k_class_in) { // add to an RRset
      if (is_meta_type(rr.type) || rr.ttl > k_max_ttl || rr.rdata.empty())
        return UpdateStatus::malformed;
    } else if (up.rclass == k_class_any) { // delete an RRset or all RRsets of a name
      if (rr.ttl != 0 || !rr.rdata.empty() || (is_meta_type(rr.type) && rr.type != rr_type::any))
        return UpdateStatus::malformed;
    } else if (up.rclass == k_class_none) { // delete one RR
      if (rr.ttl != 0 || is_meta_type(rr.type))
        return UpdateStatus::malformed;
    } else {
      return UpdateStatus::malformed;
    }
  }
  return UpdateStatus::ok;
}

} // namespace dockerops::dns
