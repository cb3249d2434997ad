// stop, start, restart and clean on a swarm (docs/decisions.md 33): the one-host planners
// (plan_lifecycle.cpp) applied to the project's services seen as containers, then their operations
// turned into service ones: stop = replicas 0, start = the replicas again, remove = the service.
// A service keeps its spec while stopped (`docker service scale S=0`), as a stopped container does.
#include "plan/planner.hpp"
#include "plan/swarm_detail.hpp"
#include "project/swarm_names.hpp"

#include "base/error.hpp"

#include <algorithm>
#include <functional>
#include <map>

namespace dockerops::plan {

namespace detail {

const ObservedService* find_service(const ObservedSwarm& swarm, const std::string& project,
                                    const std::string& service, const std::string& instance) {
  for (const auto& s : swarm.services)
    if (s.label(project::k_label_project) == project && s.label(project::k_label_service) == service &&
        s.label(project::k_label_instance) == instance && s.label(project::k_label_role).empty())
      return &s;
  return nullptr;
}

const ObservedService* find_counted(const ObservedSwarm& swarm, const std::string& project,
                                    const std::string& service, const std::string& prefix) {
  for (const auto& s : swarm.services)
    if (s.label(project::k_label_project) == project && s.label(project::k_label_service) == service &&
        project::is_counted_service(s.labels) && s.label(project::k_label_instance_prefix) == prefix &&
        s.label(project::k_label_role).empty())
      return &s;
  return nullptr;
}

} // namespace detail

namespace {

// The instances' services as the one-host planners see containers: running unless stopped, with
// the address of their first running task. Services with a role (registry, agent) are left out.
ObservedState as_containers(const ObservedState& observed) {
  ObservedState view;
  view.networks = observed.networks;
  for (const auto& s : observed.swarm->services) {
    if (!s.label(project::k_label_role).empty())
      continue;
    ObservedContainer c;
    c.id = s.id;
    c.name = s.name;
    c.labels = s.labels;
    if (project::is_counted_service(s.labels)) // one view of its instances, as clean and the filters see it
      c.labels[std::string(project::k_label_instance)] =
          project::counted_instances(s.label(project::k_label_instance_prefix));
    c.state = s.label(project::k_label_stopped) == "true" ? "exited" : "running";
    for (const auto& t : s.tasks)
      if (t.desired_state == "running" && !t.ip.empty()) {
        c.ip = t.ip;
        break;
      }
    view.containers.push_back(std::move(c));
  }
  return view;
}

// Removes the operations `drop` selects; whatever waited for one waits for what it waited for.
void drop_operations(Plan& plan, const std::function<bool(const Operation&)>& drop) {
  std::map<int, std::vector<int>> inherited; // old id -> the kept ids it stands for
  std::map<int, int> renumber;
  std::vector<Operation> kept;
  for (Operation op : plan.operations) {
    std::vector<int> after;
    for (int id : op.after) {
      if (auto it = renumber.find(id); it != renumber.end())
        after.push_back(it->second);
      else
        for (int inherited_id : inherited[id])
          after.push_back(inherited_id);
    }
    std::sort(after.begin(), after.end());
    after.erase(std::unique(after.begin(), after.end()), after.end());
    if (drop(op)) {
      inherited[op.id] = after;
      continue;
    }
    renumber[op.id] = static_cast<int>(kept.size()) + 1;
    op.id = renumber[op.id];
    op.after = std::move(after);
    kept.push_back(std::move(op));
  }
  plan.operations = std::move(kept);
}

std::uint64_t replicas_of(const ObservedService& s) {
  std::string wanted = s.label(project::k_label_replicas);
  return wanted.empty() ? 1 : std::stoull(wanted);
}

} // namespace

Plan plan_swarm_lifecycle(SwarmAction action, const std::string& project, const ObservedState& observed,
                          const Filter& filter) {
  if (!observed.swarm)
    fail(ErrorKind::internal, "plan_swarm_lifecycle: no swarm observed");
  ObservedState view = as_containers(observed);
  Plan plan;
  switch (action) {
  case SwarmAction::stop:
    plan = plan_stop(project, view, filter);
    break;
  case SwarmAction::start:
    plan = plan_start(project, view, filter);
    break;
  case SwarmAction::restart:
    plan = plan_restart(project, view, filter);
    break;
  case SwarmAction::clean:
    plan = plan_clean(project, view, filter);
    break;
  }
  plan.swarm = true;
  // Records follow the tasks on a swarm (a dns-sync), not one update per instance; removing a
  // service stops its tasks, so clean needs no stop first.
  drop_operations(plan, [&](const Operation& op) {
    return op.kind == OpKind::dns_register || op.kind == OpKind::dns_deregister || op.kind == OpKind::drain ||
           (action == SwarmAction::clean && op.kind == OpKind::stop);
  });
  std::erase_if(plan.warnings,
                [](const std::string& w) { return w.find("stay in its zone") != std::string::npos; });
  std::map<std::string, const ObservedService*> by_id;
  for (const auto& s : observed.swarm->services)
    by_id[s.id] = &s;
  std::vector<Operation> waits; // a started service is waited for, as `run` waits for a new one
  for (auto& op : plan.operations) {
    const ObservedService* s = by_id.count(op.container_id) ? by_id[op.container_id] : nullptr;
    if (op.kind == OpKind::stop) {
      op.kind = OpKind::scale_service;
      op.replicas = 0;
    } else if (op.kind == OpKind::start && s) {
      op.kind = OpKind::scale_service;
      op.replicas = s->global ? 1 : replicas_of(*s);
      op.cause = "stopped";
      Operation wait;
      wait.kind = OpKind::wait_running;
      wait.target = op.target;
      wait.service = op.service;
      wait.instance_name = op.instance_name;
      wait.after = {op.id};
      wait.cause = s->global ? "a task on every node" : "until its tasks run";
      waits.push_back(std::move(wait));
    } else if (op.kind == OpKind::remove) {
      op.kind = OpKind::remove_service;
      op.cause = s && s->label(project::k_label_stopped) == "true" ? "stopped" : "running";
    }
  }
  for (auto& wait : waits) {
    wait.id = static_cast<int>(plan.operations.size()) + 1;
    plan.operations.push_back(std::move(wait));
  }
  // The records of the services stopped, started or removed go or come with their tasks.
  auto with_dns_sync = [&](Plan p) {
    if (!p.operations.empty())
      detail::add_swarm_dns_sync(p, *observed.swarm, project, false);
    return p;
  };
  if (action != SwarmAction::clean)
    return with_dns_sync(std::move(plan));

  // clean:all also removes the project's own services (the registry) once every instance is gone,
  // and the secrets and configs made from project files once no service is left.
  std::size_t instances_left = 0;
  for (const auto& s : observed.swarm->services)
    if (s.label(project::k_label_role).empty() &&
        std::none_of(plan.operations.begin(), plan.operations.end(), [&](const Operation& op) {
          return op.kind == OpKind::remove_service && op.container_id == s.id;
        }))
      ++instances_left;
  if (instances_left > 0 || filter.service != "all" || !filter.instance.empty() || !filter.group.empty())
    return with_dns_sync(std::move(plan));
  std::vector<int> removals;
  for (const auto& op : plan.operations)
    if (op.kind == OpKind::remove_service)
      removals.push_back(op.id);
  auto add = [&](Operation op) {
    op.id = static_cast<int>(plan.operations.size()) + 1;
    plan.operations.push_back(std::move(op));
    return plan.operations.back().id;
  };
  std::vector<int> role_removals;
  for (const auto& s : observed.swarm->services) {
    if (s.label(project::k_label_role).empty())
      continue;
    Operation op;
    op.kind = OpKind::remove_service;
    op.target = s.name;
    op.container_id = s.id;
    op.after = removals;
    op.cause = "the project's " + s.label(project::k_label_role) + ": no instance is left";
    int removal = add(std::move(op));
    role_removals.push_back(removal);
    if (s.label(project::k_label_role) == "registry") {
      // Its storage holds only copies of the project's images: the next run pushes them again.
      Operation volume;
      volume.kind = OpKind::remove_volume;
      volume.target = project::registry_volume(project);
      volume.after = {removal};
      volume.cause = "the project registry's storage";
      add(std::move(volume));
    }
  }
  removals.insert(removals.end(), role_removals.begin(), role_removals.end());
  for (const auto& s : observed.swarm->services)
    if (s.label(project::k_label_service) == project::k_agent_service) {
      // Its folder on its manager: the agent's event log and lock (docs/decisions.md 40).
      Operation volume;
      volume.kind = OpKind::remove_volume;
      volume.target = project::agent_state_volume(s.name);
      volume.after = removals;
      volume.cause = "the agent's folder";
      add(std::move(volume));
    }
  for (const auto& [name, config] : observed.swarm->files) {
    Operation op;
    op.kind = OpKind::remove_secret;
    op.target = name;
    op.config_file = config;
    op.after = removals;
    op.cause = "no service of the project is left";
    add(std::move(op));
  }
  for (auto& op : plan.operations)
    if (op.kind == OpKind::remove_network)
      op.after = removals;
  bool network_removed = std::any_of(plan.operations.begin(), plan.operations.end(),
                                     [](const Operation& op) { return op.kind == OpKind::remove_network; });
  if (!network_removed)
    for (const auto& n : observed.networks)
      if (n.name == project::network_name(project) && n.labels.count(std::string(project::k_label_project))) {
        Operation op;
        op.kind = OpKind::remove_network;
        op.target = n.name;
        op.after = removals;
        op.cause = "no service of the project is left";
        add(std::move(op));
      }
  if (!plan.operations.empty())
    std::erase(plan.notices, std::string("nothing to do: no matching container"));
  return with_dns_sync(std::move(plan));
}

} // namespace dockerops::plan
