// run on a swarm (docs/decisions.md 33): the overlay network, the swarm secrets and configs made
// from project files, the pushes of the images to the registry, then one service per instance
// (created, updated when its config hash changed, scaled back up after a stop, or kept), each
// followed by a wait until its tasks run.
#include "plan/planner.hpp"
#include "plan/swarm_detail.hpp"
#include "project/swarm_names.hpp"

#include "base/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace dockerops::plan {

namespace {

using project::ResolvedInstance;

int add(Plan& plan, Operation op) {
  op.id = static_cast<int>(plan.operations.size()) + 1;
  std::sort(op.after.begin(), op.after.end());
  op.after.erase(std::unique(op.after.begin(), op.after.end()), op.after.end());
  plan.operations.push_back(std::move(op));
  return plan.operations.back().id;
}

// The wait until the tasks of r's service (made by operation `after`) run.
int add_wait(Plan& plan, const ResolvedInstance& r, int after, const std::string& cause) {
  Operation wait;
  wait.kind = OpKind::wait_running;
  wait.target = r.container_name;
  wait.instance = r;
  wait.seconds = r.ready_timeout;
  wait.after = {after};
  wait.cause = cause;
  return add(plan, std::move(wait));
}

// What a swarm cannot do with an instance, as a config Error naming its run conf line.
void check_instance(const ResolvedInstance& r) {
  project::check_service_name(r);
  std::string where = r.conf + (r.conf_line ? ":" + std::to_string(r.conf_line) : std::string());
  if (r.interactive)
    fail(ErrorKind::config,
         "{}: {}: an interactive instance needs a local daemon, not a swarm (unset the swarm orchestrator "
         "for it: DOCKEROPS_ORCHESTRATOR=docker)",
         where, r.who());
  if (r.nethost && !r.is_agent) // the agent's task is on its manager's network (docs/decisions.md 40)
    fail(ErrorKind::config, "{}: {}: nethost is not supported on a swarm (a task's network is the overlay)",
         where, r.who());
}

// The node a persistent instance is pinned to: the one it already is (its service's label), else
// the ready node (among those of its group) that runs the fewest tasks of the project, by name on a
// tie; "" when no node qualifies (the service then waits, reported, until one does).
std::string pin_node(const ResolvedInstance& r, const ObservedSwarm& swarm, const ObservedService* existing,
                     std::map<std::string, int>& load) {
  if (existing && !existing->label(project::k_label_node).empty())
    return existing->label(project::k_label_node);
  std::vector<const ObservedNode*> nodes;
  for (const auto& n : swarm.nodes) {
    if (!n.is_ready())
      continue;
    auto group = n.labels.find("dockerops.group");
    if (!r.group.empty() && (group == n.labels.end() || group->second != r.group))
      continue;
    nodes.push_back(&n);
  }
  if (nodes.empty())
    return "";
  const ObservedNode* best = *std::min_element(nodes.begin(), nodes.end(), [&](const auto* a, const auto* b) {
    return std::pair(load[a->hostname], a->hostname) < std::pair(load[b->hostname], b->hostname);
  });
  ++load[best->hostname];
  return best->hostname;
}

// The project registry when host.conf names none (docs/decisions.md 33): its image when missing, its
// service on the manager and the wait for it (whose id goes to `ready`), unless it exists. Returns
// the address the manager pushes to and the nodes pull from.
std::string add_registry(Plan& plan, const std::string& project_name, const ObservedState& observed,
                         std::vector<int>& ready) {
  const ObservedSwarm& swarm = *observed.swarm;
  const ObservedNode* manager = swarm.node(swarm.manager_id);
  if (!manager || manager->address.empty())
    fail(ErrorKind::engine,
         "the manager's address is unknown, so no project registry can be run: set host.conf \"registry\"");
  std::string address = manager->address + ":" + std::to_string(project::k_registry_port);
  bool exists = std::any_of(swarm.services.begin(), swarm.services.end(), [&](const ObservedService& s) {
    return s.label(project::k_label_project) == project_name && s.label(project::k_label_role) == "registry";
  });
  if (exists)
    return address;
  ResolvedInstance r = project::registry_instance(project_name);
  Operation service;
  if (!observed.images.count(r.image)) {
    Operation build;
    build.kind = OpKind::build_image;
    build.target = r.image;
    build.service = r.service;
    build.from = "dockerops/base";
    build.image_missing = true;
    build.cause = "image does not exist";
    service.after.push_back(add(plan, std::move(build)));
  }
  service.kind = OpKind::create_service;
  service.target = r.container_name;
  service.instance = r;
  service.node = manager->hostname;
  service.replicas = 1;
  service.cause = "the project registry (host.conf has no \"registry\"): the nodes pull from " + address;
  ready.push_back(add_wait(plan, r, add(plan, std::move(service)), "until its task runs"));
  return address;
}

} // namespace

Plan plan_swarm_run(const project::ResolvedProject& project, const ObservedState& observed,
                    const RunOptions& options) {
  if (!observed.swarm)
    fail(ErrorKind::internal, "plan_swarm_run: no swarm observed");
  const ObservedSwarm& swarm = *observed.swarm;
  Plan plan;
  plan.command = options.command;
  plan.project = project.name;
  plan.swarm = true;
  plan.notices = project.messages.notices;
  plan.warnings = project.messages.warnings;
  std::vector<project::SwarmUnit> units = project::swarm_units(project);
  for (const auto& u : units)
    check_instance(u.instance);

  // What each instance's service is now, and what it becomes.
  struct Step {
    const project::SwarmUnit* unit;
    const ObservedService* service;
    OpKind kind;
    std::string cause;
    std::uint64_t replicas = 1;
  };
  std::vector<Step> steps;
  for (const auto& u : units) {
    const ResolvedInstance& r = u.instance;
    const ObservedService* s = u.counted ? detail::find_counted(swarm, project.name, r.service, r.prefix)
                                         : detail::find_service(swarm, project.name, r.service, r.instance);
    std::uint64_t had = 0; // the replicas the service keeps (start restores them)
    if (s && !s->label(project::k_label_replicas).empty())
      had = std::stoull(s->label(project::k_label_replicas));
    std::uint64_t replicas = 1;
    if (u.counted)
      replicas = u.replicas > 0 ? static_cast<std::uint64_t>(u.replicas) : std::max<std::uint64_t>(had, 1);
    else if (had > 0 && !r.is_dns)
      replicas = had;
    Step step{&u, s, OpKind::keep, "up to date", replicas};
    if (!s)
      step = {&u, s, OpKind::create_service, "not created yet", replicas};
    else if (s->label(project::k_label_config_hash) != r.config_hash || options.force_recreate)
      step = {&u, s, OpKind::update_service,
              options.force_recreate ? "rerun requested"
              : r.image_id.empty()   ? "image not built yet"
                                     : "configuration changed",
              replicas};
    else if (s->label(project::k_label_stopped) == "true")
      step = {&u, s, OpKind::scale_service, "stopped", replicas};
    else if (u.counted && (had != replicas || s->replicas != replicas))
      step = {&u, s, OpKind::scale_service, fmt::format("scale {} -> {}", had ? had : s->replicas, replicas),
              replicas};
    steps.push_back(step);
  }
  bool starts = std::any_of(steps.begin(), steps.end(), [](const Step& s) { return s.kind != OpKind::keep; });

  std::vector<int> prepared; // what every service start waits for
  bool network_exists = std::any_of(observed.networks.begin(), observed.networks.end(),
                                    [&](const ObservedNetwork& n) { return n.name == project.network; });
  if (starts && !network_exists) {
    Operation op;
    op.kind = OpKind::create_network;
    op.target = project.network;
    op.subnet = options.subnet;
    op.driver = "overlay";
    op.cause = "not created yet";
    op.labels = {{std::string(project::k_label_project), project.name}};
    prepared.push_back(add(plan, std::move(op)));
  }

  std::string registry = options.registry;
  std::vector<int> registry_ready; // what pushes wait for
  if (registry.empty() && starts)
    registry = add_registry(plan, project.name, observed, registry_ready);

  std::map<std::string, int> made;   // secret or config name -> its create-secret operation
  std::map<std::string, int> pushed; // image -> its push-image operation
  std::map<std::string, int> load;   // node -> project tasks on it (for pinning)
  for (const auto& s : swarm.services)
    for (const auto& t : s.tasks)
      if (t.desired_state == "running" && !t.node_id.empty())
        if (const ObservedNode* n = swarm.node(t.node_id))
          ++load[n->hostname];

  for (const Step& step : steps) {
    const ResolvedInstance& r = step.unit->instance;
    if (step.kind == OpKind::keep) {
      Operation op;
      op.kind = OpKind::keep;
      op.target = r.container_name;
      op.instance = r;
      op.container_id = step.service->id;
      op.cause = step.cause;
      add(plan, std::move(op));
      continue;
    }
    std::vector<int> after = prepared;
    if (step.kind != OpKind::scale_service) {
      for (const auto& file : project::swarm_files(r)) {
        if (swarm.files.count(file.name))
          continue;
        if (!made.count(file.name)) {
          Operation op;
          op.kind = OpKind::create_secret;
          op.target = file.name;
          op.files = {file.path};
          op.context_dir = project.dir;
          op.config_file = file.config;
          op.cause = "not created yet";
          made[file.name] = add(plan, std::move(op));
        }
        after.push_back(made[file.name]);
      }
      if (!registry.empty()) {
        if (!pushed.count(r.image)) {
          Operation op;
          op.kind = OpKind::push_image;
          op.target = r.image;
          op.registry = registry;
          op.after = registry_ready;
          op.cause = "the nodes pull it from there";
          pushed[r.image] = add(plan, std::move(op));
        }
        after.push_back(pushed[r.image]);
      }
    }
    Operation op;
    op.kind = step.kind;
    op.target = r.container_name;
    op.instance = r;
    op.after = after;
    op.cause = step.cause;
    op.registry = registry;
    op.replicas = step.replicas; // global services ignore it
    if (step.service)
      op.container_id = step.service->id;
    if ((r.persistent_data || r.persistent_opt || r.persistent_log) && !r.is_dns) // the DNS runs everywhere
      op.node = pin_node(r, swarm, step.service, load);
    for (const auto& p : r.ports)
      if (!p.host_ip.empty())
        plan.warnings.push_back(
            fmt::format("{}: port {}: a swarm publishes on every address of the node running "
                        "the task, not on {} alone",
                        r.who(), project::fmt_port(p), p.host_ip));
    add_wait(plan, r, add(plan, std::move(op)), r.is_dns ? "a task on every node" : "until its tasks run");
  }

  if (options.remove_orphans)
    for (const auto& s : swarm.services) {
      if (!s.label(project::k_label_role).empty())
        continue; // the registry, the agent: not instances
      bool counted = project::is_counted_service(s.labels);
      bool wanted = std::any_of(units.begin(), units.end(), [&](const project::SwarmUnit& u) {
        return u.counted == counted && u.instance.service == s.label(project::k_label_service) &&
               (counted ? u.instance.prefix == s.label(project::k_label_instance_prefix)
                        : u.instance.instance == s.label(project::k_label_instance));
      });
      if (wanted)
        continue;
      Operation op;
      op.kind = OpKind::remove_service;
      op.target = s.name;
      op.container_id = s.id;
      op.cause = "orphan: not in the run conf";
      add(plan, std::move(op));
    }
  bool dns_started =
      std::any_of(steps.begin(), steps.end(), [](const Step& s) { return s.unit->instance.is_dns; });
  detail::add_swarm_dns_sync(plan, swarm, project.name, dns_started);
  return plan;
}

Plan plan_swarm_up(const project::Project& project, const project::ResolvedProject& resolved,
                   const ObservedState& observed, const RunOptions& options) {
  return with_builds(project, resolved, observed, plan_swarm_run(resolved, observed, options));
}

} // namespace dockerops::plan
