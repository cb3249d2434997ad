#include "dns/update/prereq.hpp"

#include "dns/proto/rdata.hpp"

#include <algorithm>
#include <map>

namespace dockerops::dns {

UpdateStatus check_prerequisites(const Zone& zone, const std::vector<UpdateRecord>& prerequisites) {
  // §3.2.3: value-dependent prerequisites are collected per (name, type) and
  // compared as sets once the whole section is read.
  // Each set holds distinct RRs: rdata that differ only in the case of a name are one RR.
  std::map<std::pair<WireName, std::uint16_t>, std::vector<std::string>> expected;
  for (const UpdateRecord& pr : prerequisites) {
    const Record& rr = pr.rr;
    if (rr.ttl != 0) // §3.2.1
      return UpdateStatus::malformed;
    if (!zone.in_zone(rr.owner)) // §3.2.1
      return UpdateStatus::notzone;
    if (pr.rclass == k_class_any) { // §2.4.1 and §2.4.4
      if (!rr.rdata.empty())
        return UpdateStatus::malformed;
      if (rr.type == rr_type::any) {
        const Node* node = zone.find_node(rr.owner);
        if (!node || !node->has_data())
          return UpdateStatus::prereq_nxdomain;
      } else {
        if (is_meta_type(rr.type))
          return UpdateStatus::malformed;
        if (!zone.find(rr.owner, rr.type))
          return UpdateStatus::prereq_nxrrset;
      }
    } else if (pr.rclass == k_class_none) { // §2.4.3 and §2.4.5
      if (!rr.rdata.empty())
        return UpdateStatus::malformed;
      if (rr.type == rr_type::any) {
        const Node* node = zone.find_node(rr.owner);
        if (node && node->has_data())
          return UpdateStatus::prereq_yxdomain;
      } else {
        if (is_meta_type(rr.type))
          return UpdateStatus::malformed;
        if (zone.find(rr.owner, rr.type))
          return UpdateStatus::prereq_yxrrset;
      }
    } else if (pr.rclass == k_class_in) { // §2.4.2
      if (is_meta_type(rr.type))
        return UpdateStatus::malformed;
      std::vector<std::string>& set = expected[{rr.owner, rr.type}];
      if (std::none_of(set.begin(), set.end(),
                       [&](const std::string& r) { return rdata_equal(rr.type, r, rr.rdata); }))
        set.push_back(rr.rdata);
    } else {
      return UpdateStatus::malformed; // §3.2.2: any other class
    }
  }
  for (const auto& [key, rdatas] : expected) {
    const RRset* set = zone.find(key.first, key.second);
    if (!set || set->size() != rdatas.size())
      return UpdateStatus::prereq_nxrrset;
    for (const std::string& rdata : rdatas)
      if (!set->contains(rdata))
        return UpdateStatus::prereq_nxrrset;
  }
  return UpdateStatus::ok;
}

} // namespace dockerops::dns
