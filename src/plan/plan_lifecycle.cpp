#include "plan/planner.hpp"
#include "plan/removal.hpp"
#include "project/resolve.hpp"
#include "project/subnet.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dockerops::plan {

namespace {

using project::k_dns_service;

// The project's containers that the filter selects, sorted by name, the DNS last.
std::vector<const ObservedContainer*> matching(const std::string& project, const ObservedState& observed,
                                               const Filter& filter) {
  std::vector<const ObservedContainer*> out;
  for (const auto& c : observed.containers) {
    if (c.label(project::k_label_project) != project)
      continue;
    std::string service = c.label(project::k_label_service);
    std::string instance = c.label(project::k_label_instance);
    if (!project::matches_filter(filter.service, filter.instance, service, instance))
      continue;
    if (!filter.group.empty() && std::find(filter.members.begin(), filter.members.end(),
                                           std::pair{service, instance}) == filter.members.end())
      continue;
    out.push_back(&c);
  }
  std::sort(out.begin(), out.end(), [](const ObservedContainer* a, const ObservedContainer* b) {
    bool a_dns = a->label(project::k_label_service) == k_dns_service;
    bool b_dns = b->label(project::k_label_service) == k_dns_service;
    return a_dns != b_dns ? b_dns : a->name < b->name;
  });
  return out;
}

// The project's DNS container, or nullptr.
const ObservedContainer* dns_container(const std::string& project, const ObservedState& observed) {
  for (const auto& c : observed.containers)
    if (c.label(project::k_label_project) == project && c.label(project::k_label_service) == k_dns_service)
      return &c;
  return nullptr;
}

// Where the project's DNS answers: its address when it runs, else the address it is pinned at
// on the project network (docs/decisions.md 11), "" when neither is known.
std::string dns_address(const std::string& project, const ObservedState& observed) {
  const ObservedContainer* dns = dns_container(project, observed);
  if (!dns)
    return "";
  if (dns->state == "running" && !dns->ip.empty())
    return dns->ip;
  for (const auto& n : observed.networks)
    if (n.name == project::network_name(project) && !n.subnet.empty())
      return project::subnet_host(n.subnet, 2);
  return "";
}

// clean: once every container of the project is removed, the project network goes too (ours only).
void add_network_removal(Plan& plan, const std::string& project, const ObservedState& observed,
                         std::size_t removed) {
  std::size_t containers =
      std::count_if(observed.containers.begin(), observed.containers.end(),
                    [&](const auto& c) { return c.label(project::k_label_project) == project; });
  if (removed != containers)
    return;
  for (const auto& n : observed.networks) {
    auto label = n.labels.find(std::string(project::k_label_project));
    if (n.name != project::network_name(project) || label == n.labels.end() || label->second != project)
      continue;
    Operation op;
    op.kind = OpKind::remove_network;
    op.target = n.name;
    op.cause = "no container of the project is left";
    for (const auto& other : plan.operations)
      if (other.kind == OpKind::remove)
        op.after.push_back(other.id);
    op.id = static_cast<int>(plan.operations.size()) + 1;
    plan.operations.push_back(std::move(op));
  }
}

Plan stop_or_clean(const std::string& project, const ObservedState& observed, const Filter& filter,
                   const std::string& zone, bool remove, bool graceful) {
  Plan plan;
  plan.command = remove ? "clean" : "stop";
  plan.project = project;
  const ObservedContainer* dns_c = dns_container(project, observed);
  bool dns = dns_c && dns_c->state == "running";
  std::string dns_server = dns ? dns_address(project, observed) : "";
  std::vector<int> non_dns_done;
  auto add = [&](Operation op) {
    op.id = static_cast<int>(plan.operations.size()) + 1;
    plan.operations.push_back(std::move(op));
    return plan.operations.back().id;
  };
  std::size_t unregistered = 0; // running instances whose records a stopped DNS keeps
  std::size_t removed = 0;
  for (const auto* c : matching(project, observed, filter)) {
    std::string service = c->label(project::k_label_service);
    bool is_dns = service == k_dns_service;
    bool running = c->is_up();
    if (remove && filter.keep_orphans &&
        std::find(filter.conf_members.begin(), filter.conf_members.end(),
                  std::pair{service, c->label(project::k_label_instance)}) == filter.conf_members.end()) {
      Operation op;
      op.kind = OpKind::keep;
      op.target = c->name;
      op.container_id = c->id;
      op.cause = "not in the run conf (remove_orphans=true removes it too)";
      add(std::move(op));
      continue;
    }
    detail::RemovalSteps steps;
    steps.after = is_dns ? non_dns_done : std::vector<int>{};
    if (dns && !is_dns) {
      steps.deregister = true;
      steps.dns_server = dns_server;
      steps.zone = zone;
      // The container goes whatever the DNS says; run or dns:sync fix the zone.
      steps.best_effort = true;
      steps.drain = graceful ? detail::drain_of(*c) : 0;
    }
    steps.remove = remove;
    int last = detail::add_removal(plan, *c, steps);
    unregistered += running && dns_c && !dns && !is_dns ? 1 : 0;
    removed += remove ? 1 : 0;
    if (last && !is_dns)
      non_dns_done.push_back(last);
  }
  if (unregistered > 0)
    plan.warnings.push_back(fmt::format(
        "{} is not running: the records of {} instance{} stay in its zone; run or dns:sync will remove them",
        k_dns_service, unregistered, unregistered == 1 ? "" : "s"));
  if (remove)
    add_network_removal(plan, project, observed, removed);
  if (plan.operations.empty())
    plan.notices.push_back("nothing to do: no matching container");
  return plan;
}

} // namespace

Plan plan_stop(const std::string& project, const ObservedState& observed, const Filter& filter,
               const std::string& zone, bool graceful) {
  return stop_or_clean(project, observed, filter, zone, false, graceful);
}

Plan plan_clean(const std::string& project, const ObservedState& observed, const Filter& filter,
                const std::string& zone, bool graceful) {
  return stop_or_clean(project, observed, filter, zone, true, graceful);
}

Plan plan_start(const std::string& project, const ObservedState& observed, const Filter& filter,
                const std::string& zone) {
  Plan plan;
  plan.command = "start";
  plan.project = project;
  auto list = matching(project, observed, filter);
  std::stable_partition(list.begin(), list.end(), [](const ObservedContainer* c) {
    return c->label(project::k_label_service) == k_dns_service;
  });
  // A stopped DNS has no address yet: it gets its pinned one back.
  std::string dns_ip = dns_address(project, observed);
  bool dns_present = dns_container(project, observed) != nullptr;
  int dns_op = 0;
  for (const auto* c : list) {
    if (c->state == "running")
      continue;
    std::string service = c->label(project::k_label_service);
    Operation op;
    op.kind = OpKind::start;
    op.target = c->name;
    op.container_id = c->id;
    op.service = service;
    op.instance_name = c->label(project::k_label_instance);
    op.cause = "container is " + c->state;
    if (dns_op && service != k_dns_service)
      op.after = {dns_op};
    op.id = static_cast<int>(plan.operations.size()) + 1;
    plan.operations.push_back(op);
    if (service == k_dns_service)
      dns_op = op.id;
    else if (dns_present) {
      Operation reg;
      reg.kind = OpKind::dns_register;
      reg.target = c->name;
      reg.container_id = c->id;
      reg.service = service;
      reg.instance_name = op.instance_name;
      reg.zone = zone;
      reg.dns_server = dns_ip;
      reg.after = {op.id};
      reg.cause = "after the start";
      reg.id = static_cast<int>(plan.operations.size()) + 1;
      plan.operations.push_back(reg);
    }
  }
  if (plan.operations.empty())
    plan.notices.push_back("nothing to do: no matching stopped container");
  return plan;
}

Plan plan_restart(const std::string& project, const ObservedState& observed, const Filter& filter,
                  const std::string& zone) {
  Plan plan = plan_stop(project, observed, filter, zone);
  plan.command = "restart";
  plan.notices.clear();
  // The starts wait for the stops nothing else waits for (the DNS's stop waits for the others).
  std::vector<int> last_stops;
  for (const auto& op : plan.operations)
    if (std::none_of(plan.operations.begin(), plan.operations.end(), [&](const Operation& other) {
          return std::find(other.after.begin(), other.after.end(), op.id) != other.after.end();
        }))
      last_stops.push_back(op.id);
  // What the start plan sees once the stops are done: every matching container stopped.
  ObservedState stopped = observed;
  std::vector<const ObservedContainer*> selected = matching(project, observed, filter);
  for (auto& c : stopped.containers)
    if (std::any_of(selected.begin(), selected.end(),
                    [&](const ObservedContainer* s) { return s->id == c.id; }))
      c.state = "exited";
  int offset = static_cast<int>(plan.operations.size());
  for (Operation op : plan_start(project, stopped, filter, zone).operations) {
    op.id += offset;
    for (int& id : op.after)
      id += offset;
    if (op.kind == OpKind::start) {
      op.after.insert(op.after.begin(), last_stops.begin(), last_stops.end());
      auto was = std::find_if(observed.containers.begin(), observed.containers.end(),
                              [&](const ObservedContainer& c) { return c.id == op.container_id; });
      op.cause = was == observed.containers.end() || was->state == "running" ? "restart"
                                                                             : "container was " + was->state;
    }
    plan.operations.push_back(std::move(op));
  }
  if (plan.operations.empty())
    plan.notices.push_back("nothing to do: no matching container");
  return plan;
}

} // namespace dockerops::plan
