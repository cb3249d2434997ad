#include "dns/update/policy.hpp"

namespace dockerops::dns {

UpdateStatus UpdatePolicy::check_message(const UpdateMessage& message) const {
  if (max_records_per_update != 0 &&
      message.prerequisites.size() + message.updates.size() > max_records_per_update)
    return UpdateStatus::policy;
  // DNAME is not served (dockerops-dnsd(8)): adding one would be data the query path ignores.
  for (const UpdateRecord& up : message.updates)
    if (up.rclass == k_class_in && up.rr.type == rr_type::dname)
      return UpdateStatus::policy;
  return UpdateStatus::ok;
}

UpdateStatus UpdatePolicy::check_result(const Zone& zone, const std::vector<UpdateRecord>& updates) const {
  if (max_records_per_name == 0)
    return UpdateStatus::ok;
  for (const UpdateRecord& up : updates)
    if (up.rclass == k_class_in && zone.record_count(up.rr.owner) > max_records_per_name)
      return UpdateStatus::policy;
  return UpdateStatus::ok;
}

} // namespace dockerops::dns
