#include "agent/watchers.hpp"

#include "base/strings.hpp"

#include <algorithm>
#include <map>

namespace dockerops::agent {

std::optional<std::string> watched_membership(const std::vector<ObservedInstance>& observed) {
  bool watching = false;
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& o : observed) {
    if (o.state != "running" && o.state != "paused" && o.state != "restarting")
      continue;
    watching = watching || !o.watches.empty();
    if (!o.ip.empty())
      members[o.service].push_back(o.ip);
  }
  if (!watching)
    return std::nullopt;
  std::vector<std::string> parts;
  parts.reserve(members.size());
  for (auto& [service, addresses] : members) {
    std::sort(addresses.begin(), addresses.end());
    parts.push_back(service + "=" + strings::join(addresses, ","));
  }
  return strings::join(parts, ";");
}

} // namespace dockerops::agent
