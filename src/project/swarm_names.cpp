#include "project/swarm_names.hpp"

#include "base/error.hpp"
#include "project/counted.hpp"

#include <algorithm>

namespace dockerops::project {

std::vector<SwarmFile> swarm_files(const ResolvedInstance& r) {
  std::vector<SwarmFile> out;
  if (r.service == k_registry_service)
    return out; // no SSH into the registry
  out.push_back({r.project + "-authorized-keys", ".dockerops/id_ed25519.pub",
                 "/run/dockerops/authorized_keys", true, 0444});
  if (r.ssh_keys)
    out.push_back(
        {r.project + "-ssh-key", ".dockerops/id_ed25519", "/run/dockerops/id_ed25519", false, 0400});
  if (r.is_dns || r.is_agent)
    out.push_back({r.project + "-dns-key", ".dockerops/dns.key", "/etc/dockerops/dns.key", false, 0400});
  if (r.is_agent)
    out.push_back(
        {r.project + "-agent-token", ".dockerops/agent.token", "/run/dockerops/agent.token", false, 0400});
  return out;
}

std::string agent_state_volume(std::string_view service_name) {
  return std::string(service_name) + "-state";
}

std::string persistent_volume(const ResolvedInstance& r) {
  return r.container_name + "-persistent";
}

std::string counted_service_name(std::string_view project, std::string_view service,
                                 std::string_view prefix) {
  std::string name = std::string(project) + "-" + std::string(service);
  return prefix.empty() ? name : name + "-" + std::string(prefix);
}

bool is_counted_service(const std::map<std::string, std::string>& labels) {
  return labels.count(std::string(k_label_instance_prefix)) && !labels.count(std::string(k_label_instance));
}

std::string task_instance(const std::map<std::string, std::string>& labels, int slot) {
  if (!is_counted_service(labels)) {
    auto it = labels.find(std::string(k_label_instance));
    return it == labels.end() ? std::string() : it->second;
  }
  return counted_name(labels.at(std::string(k_label_instance_prefix)), slot);
}

std::string counted_instances(std::string_view prefix) {
  return std::string(prefix) + "*";
}

namespace {

constexpr std::string_view k_slot = "{{.Task.Slot}}";

// The template of a counted entry's service, from its lowest-numbered instance.
ResolvedInstance counted_template(ResolvedInstance r) {
  if (r.persistent_data || r.persistent_opt || r.persistent_log)
    fail(ErrorKind::config,
         "{}{}: {}: counted instances with persistent folders cannot run on a swarm (a task's volume "
         "stays on the node it ran on); use named instances",
         r.conf, r.conf_line ? ":" + std::to_string(r.conf_line) : std::string(), r.who());
  std::string own_name = r.service + "-" + r.instance;
  r.container_name = counted_service_name(r.project, r.service, r.prefix);
  if (r.hostname == own_name)
    r.hostname = r.service + "-" + r.prefix + std::string(k_slot);
  if (auto it = r.env.find("INSTANCE"); it != r.env.end())
    it->second.value = r.prefix + std::string(k_slot);
  r.instance = counted_instances(r.prefix);
  r.number = 0;
  r.labels.erase(std::string(k_label_instance));
  r.labels.erase(std::string(k_label_instance_number));
  return r;
}

} // namespace

std::vector<SwarmUnit> swarm_units(const ResolvedProject& project) {
  std::vector<SwarmUnit> units;
  std::map<std::string, std::string> service_of; // a counted instance's container -> its service
  for (const auto& r : project.instances) {
    if (r.number == 0) {
      units.push_back({r, false, 1});
      continue;
    }
    std::string name = counted_service_name(r.project, r.service, r.prefix);
    service_of[r.container_name] = name;
    bool known = std::any_of(units.begin(), units.end(), [&](const SwarmUnit& u) {
      return u.counted && u.instance.container_name == name;
    });
    if (known)
      continue;
    auto set = std::find_if(project.counted.begin(), project.counted.end(), [&](const CountedSet& c) {
      return c.service == r.service && c.prefix == r.prefix;
    });
    units.push_back({counted_template(r), true, set == project.counted.end() ? 0 : set->count});
  }
  for (auto& unit : units) {
    ResolvedInstance& r = unit.instance;
    bool changed = false;
    for (auto& link : r.links)
      if (auto it = service_of.find(link.target_container); it != service_of.end()) {
        link.target_container = it->second;
        changed = true;
      }
    for (auto& [name, value] : r.env)
      if (auto it = service_of.find(value.pending_link_container); it != service_of.end()) {
        value.pending_link_container = it->second;
        changed = true;
      }
    if (changed || unit.counted)
      r.bind_image(r.image_id); // the hash of what the service runs
  }
  return units;
}

std::string registry_volume(std::string_view project) {
  return persistent_volume(registry_instance(std::string(project)));
}

ResolvedInstance registry_instance(const std::string& project) {
  ResolvedInstance r;
  r.project = project;
  r.service = std::string(k_registry_service);
  r.instance = "registry";
  r.container_name = project + "-registry";
  r.hostname = "registry";
  r.image = "dockerops/registry:latest";
  r.persistent_dir = "/var/lib/docker-registry"; // the named volume persistent_volume() names
  r.volumes = {{r.persistent_dir, "/var/lib/docker-registry", "rw"}};
  r.ports = {{"", k_registry_port, k_registry_port, "tcp"}};
  r.ready_timeout = 60;
  r.labels = {{std::string(k_label_project), project},
              {std::string(k_label_service), r.service},
              {std::string(k_label_instance), r.instance},
              {std::string(k_label_role), "registry"}};
  return r;
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
