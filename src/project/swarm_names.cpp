#include "project/swarm_names.hpp"

#include "base/error.hpp"

namespace dockerops::project {

std::vector<SwarmFile> swarm_files(const ResolvedInstance& r) {
  std::vector<SwarmFile> out;
  out.push_back({r.project + "-authorized-keys", ".dockerops/id_ed25519.pub",
                 "/run/dockerops/authorized_keys", true, 0444});
  if (r.ssh_keys)
    out.push_back(
        {r.project + "-ssh-key", ".dockerops/id_ed25519", "/run/dockerops/id_ed25519", false, 0400});
  if (r.is_dns)
    out.push_back({r.project + "-dns-key", ".dockerops/dns.key", "/etc/dockerops/dns.key", false, 0400});
  return out;
}

std::string persistent_volume(const ResolvedInstance& r) {
  return r.container_name + "-persistent";
}

void check_service_name(const ResolvedInstance& r) {
  const std::string& name = r.container_name;
  bool ok = !name.empty() && name.size() <= 63 && name.front() != '-' && name.back() != '-';
  for (char c : name)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok)
    fail(ErrorKind::config,
         "{}{}: {}: the swarm service name \"{}\" is not a DNS label (letters, digits and '-', at most 63); "
         "rename the project (--project-name) or the instance",
         r.conf, r.conf_line ? ":" + std::to_string(r.conf_line) : std::string(), r.who(), name);
}

} // namespace dockerops::project
