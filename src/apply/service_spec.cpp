#include "apply/service_spec.hpp"

#include "base/strings.hpp"
#include "project/swarm_names.hpp"

#include <algorithm>

namespace dockerops::apply {

namespace {

constexpr std::int64_t k_second_ns = 1'000'000'000;

// A constraint no node satisfies: how a global service is stopped (it has no replica count).
constexpr const char* k_nowhere = "node.labels.dockerops.stopped==true";

void add_links(const project::ResolvedInstance& r, engine::ServiceSpec& spec) {
  std::vector<std::string> vars, aliases;
  for (const auto& [name, value] : r.env)
    if (!value.pending_link_container.empty())
      vars.push_back(name + "=" + value.pending_link_container);
  if (r.linked)
    for (const auto& link : r.links)
      if (!link.target_container.empty())
        aliases.push_back(link.alias + "=" + link.target_container);
  if (!vars.empty())
    spec.env.push_back("DOCKEROPS_LINK_VARS=" + strings::join(vars, " "));
  if (!aliases.empty())
    spec.env.push_back("DOCKEROPS_LINK_ALIASES=" + strings::join(aliases, " "));
}

void add_mounts(const project::ResolvedInstance& r, const ServiceExtras& extras, engine::ServiceSpec& spec) {
  auto files = project::swarm_files(r);
  for (const auto& volume : r.volumes) {
    bool is_file = std::any_of(files.begin(), files.end(), [&](const project::SwarmFile& f) {
      return f.target == volume.container_path;
    });
    if (is_file)
      continue; // given as a swarm secret or config below
    engine::ServiceMount mount;
    std::string named; // a named volume of the task's node: the agent's folder, a persistent instance's
    if (r.is_agent && volume.container_path == project::k_agent_swarm_dir)
      named = project::agent_state_volume(r.container_name);
    else if (!r.persistent_dir.empty() && volume.host_path == r.persistent_dir)
      named = project::persistent_volume(r);
    if (!named.empty()) {
      mount.type = "volume";
      mount.source = named;
      mount.volume_labels = {{std::string(project::k_label_project), r.project},
                             {std::string(project::k_label_service), r.service},
                             {std::string(project::k_label_instance), r.instance}};
      for (const auto& [key, value] : extras.labels)
        mount.volume_labels[key] = value;
    } else {
      mount.type = "bind";
      mount.source = volume.host_path;
      mount.read_only = volume.mode == "ro";
    }
    mount.target = volume.container_path;
    spec.mounts.push_back(std::move(mount));
  }
  for (const auto& f : files) {
    engine::ServiceFile file;
    file.name = f.name;
    file.target = f.target;
    file.mode = f.mode;
    if (auto it = extras.file_ids.find(f.name); it != extras.file_ids.end())
      file.id = it->second;
    (f.config ? spec.configs : spec.secrets).push_back(std::move(file));
  }
}

} // namespace

engine::ServiceSpec service_spec(const project::ResolvedInstance& r, const ServiceExtras& extras) {
  engine::ServiceSpec spec;
  spec.name = r.container_name;
  spec.container_labels = extras.labels;
  for (const auto& [key, value] : r.labels)
    spec.container_labels[key] = value;
  spec.labels = spec.container_labels;
  if (!extras.node.empty())
    spec.labels[std::string(project::k_label_node)] = extras.node;
  if (!r.is_dns)
    spec.labels[std::string(project::k_label_replicas)] = std::to_string(extras.replicas);
  if (extras.stopped)
    spec.labels[std::string(project::k_label_stopped)] = "true";
  spec.image = extras.image.empty() ? r.image : extras.image;
  if (!r.command.empty())
    spec.args = r.command;
  for (const auto& [name, value] : r.env)
    if (value.pending_link_container.empty())
      spec.env.push_back(name + "=" + value.value);
  add_links(r, spec);
  spec.hostname = r.hostname;
  spec.stop_grace_period_ns = 10 * k_second_ns;
  add_mounts(r, extras, spec);
  if (!r.dns_server.empty() && !r.nethost) // a task on its node's network has the node's resolver
    spec.dns_nameservers.push_back(r.dns_server);
  if (!r.dns_search.empty() && !r.nethost)
    spec.dns_search.push_back(r.dns_search);
  spec.nano_cpus = r.resources.nano_cpus();
  spec.memory_bytes = r.resources.memory;
  spec.memory_reservation_bytes = r.resources.memory_reservation;
  spec.pids_limit = r.resources.pids;
  // Swarm has no back-off of its own: a task that keeps failing restarts once a second at most.
  spec.restart_condition = "any";
  spec.restart_delay_ns = k_second_ns;
  if (!r.group.empty())
    spec.constraints.push_back("node.labels.dockerops.group==" + r.group);
  if (!extras.node.empty())
    spec.constraints.push_back("node.hostname==" + extras.node);
  if (r.is_agent) // one task, on a manager: it holds that manager's socket (docs/decisions.md 40)
    spec.constraints.push_back("node.role==manager");
  if (r.nethost)
    spec.networks.push_back({"host", {}});
  else if (!r.network.empty())
    spec.networks.push_back({r.network, {}});
  spec.endpoint_mode = "dnsrr";
  for (const auto& port : r.ports)
    spec.ports.push_back({port.protocol, port.container_port, port.host_port, "host"});
  if (r.is_dns) {
    spec.global = true;
    if (extras.stopped)
      spec.constraints.push_back(k_nowhere);
  } else {
    spec.replicas = extras.stopped ? 0 : extras.replicas;
  }
  return spec;
}

} // namespace dockerops::apply
