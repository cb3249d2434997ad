#include "apply/observe.hpp"

#include "base/log.hpp"
#include "project/model.hpp"

#include <algorithm>

namespace dockerops::apply {

namespace {

// Docker's default for docker_gwbridge (172.18.0.0/16, the first free /16 after docker0's).
constexpr const char* k_default_gateway = "172.18.0.1";

plan::ObservedTask observed_task(const engine::TaskInfo& t, const std::string& network) {
  plan::ObservedTask o;
  o.id = t.id;
  o.slot = t.slot;
  o.node_id = t.node_id;
  o.state = t.state;
  o.desired_state = t.desired_state;
  o.message = t.error.empty() ? t.message : t.error;
  o.container_id = t.container_id;
  for (const auto& a : t.addresses)
    if (a.network_name == network)
      o.ip = a.address;
  return o;
}

} // namespace

plan::ObservedState observe_swarm(engine::Engine& engine, const std::string& project, SwarmParts parts) {
  engine::SystemInfo info = engine.info();
  engine::check_manager(info.swarm, engine.host());
  engine::Swarm& swarm = engine.swarm();
  plan::ObservedState state;
  plan::ObservedSwarm& out = state.swarm.emplace();
  out.manager_id = info.swarm.node_id;
  for (const auto& n : swarm.list_nodes({}))
    out.nodes.push_back({n.id, n.hostname, n.role, n.state, n.availability, n.address, n.labels});
  std::sort(out.nodes.begin(), out.nodes.end(),
            [](const plan::ObservedNode& a, const plan::ObservedNode& b) { return a.hostname < b.hostname; });

  std::string label(project::k_label_project);
  auto filters = engine::label_filter({project.empty() ? label : label + "=" + project});
  std::vector<std::string> ids;
  for (const auto& s : swarm.list_services(filters)) {
    plan::ObservedService o;
    o.id = s.id;
    o.name = s.spec.name;
    o.version = s.version;
    o.labels = s.spec.labels;
    o.global = s.spec.global;
    o.replicas = s.spec.replicas;
    o.constraints = s.spec.constraints;
    o.hostname = s.spec.hostname;
    o.env = s.spec.env;
    ids.push_back(s.id);
    out.services.push_back(std::move(o));
  }
  std::sort(out.services.begin(), out.services.end(),
            [](const plan::ObservedService& a, const plan::ObservedService& b) { return a.name < b.name; });
  if (!ids.empty()) {
    std::vector<engine::TaskInfo> tasks = swarm.list_tasks({{"service", ids}});
    // Current tasks first (by slot), then the others newest first: the latest failure explains a
    // pending or restarting replica.
    std::sort(tasks.begin(), tasks.end(), [](const engine::TaskInfo& a, const engine::TaskInfo& b) {
      bool a_current = a.desired_state == "running", b_current = b.desired_state == "running";
      if (a_current != b_current)
        return a_current;
      return a_current ? a.slot < b.slot : a.updated_at > b.updated_at;
    });
    for (auto& s : out.services)
      for (const auto& t : tasks)
        if (t.service_id == s.id)
          s.tasks.push_back(observed_task(t, project::network_name(s.label(project::k_label_project))));
  }
  if (parts == SwarmParts::all)
    for (auto kind : {engine::SwarmFileKind::secret, engine::SwarmFileKind::config})
      for (const auto& f : swarm.list_files(kind, filters))
        out.files[f.name] = kind == engine::SwarmFileKind::config;

  for (auto& n : engine.list_networks({})) {
    if (n.name == "docker_gwbridge" && !n.gateways.empty())
      out.nameserver = n.gateways.front();
    state.networks.push_back({n.id, n.name, n.subnets.empty() ? "" : n.subnets.front(), n.labels});
  }
  if (out.nameserver.empty()) {
    log::debug("the manager has no docker_gwbridge yet: assuming Docker's default gateway {}",
               k_default_gateway);
    out.nameserver = k_default_gateway;
  }
  return state;
}

} // namespace dockerops::apply
