// Counted instances in the resolver (project/counted.hpp): an entry with "instances" becomes
// <prefix>1 ... <prefix>N.
#include "base/error.hpp"
#include "project/resolve_parts.hpp"

namespace dockerops::project::detail {

void take_counted(const ConfEntry& entry, const ResolveInput& input, std::vector<Wanted>& out,
                  std::vector<CountedSet>& counted, Notices& notices) {
  std::string dropped;
  int count = effective_count(entry, input.counts, &dropped);
  if (!dropped.empty())
    notices.notices.push_back(dropped);
  std::string prefix = counted_prefix(entry);
  for (int number = 1; number <= count; ++number)
    out.push_back(
        {entry.service.value, counted_name(prefix, number), {&entry, input.conf->filename}, number});
  counted.push_back({entry.service.value, prefix, count, declared_count(entry), entry.line});
}

std::optional<Wanted> counted_instance(const std::string& service, const std::string& instance,
                                       const ResolveInput& input) {
  for (const auto& e : input.conf->entries) {
    if (!belongs_to(e, service, instance))
      continue;
    int number = *counted_number(counted_prefix(e), instance);
    int count = effective_count(e, input.counts);
    if (number > count)
      fail(ErrorKind::config,
           "{}/{} is beyond the count of the entry at {}:{} ({} instance{}): scale:{}={} first", service,
           instance, input.conf->filename, e.line, count, count == 1 ? "" : "s", service, number);
    return Wanted{service, instance, {&e, input.conf->filename}, number};
  }
  return std::nullopt;
}

} // namespace dockerops::project::detail
