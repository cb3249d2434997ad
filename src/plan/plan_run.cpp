#include "base/error.hpp"
#include "base/strings.hpp"
#include "plan/planner.hpp"
#include "plan/removal.hpp"
#include "plan/run_dns.hpp"
#include "project/subnet.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

namespace dockerops::plan {

const ObservedContainer* find_container(const ObservedState& observed, const std::string& project,
                                        const std::string& service, const std::string& instance) {
  // Labels are identity: names are never parsed.
  for (const auto& c : observed.containers)
    if (c.label(project::k_label_project) == project && c.label(project::k_label_service) == service &&
        c.label(project::k_label_instance) == instance)
      return &c;
  return nullptr;
}

namespace {

using detail::add_dns_sync;
using detail::project_dns_server;
using detail::records_missing;
using detail::register_op;
using project::ResolvedInstance;

std::string key_of(const ResolvedInstance& r) {
  return r.who();
}

// Instances in start order: the DNS first, link targets before their users,
// otherwise run.conf order (Kahn's algorithm with a stable tie-break).
std::vector<const ResolvedInstance*> start_order(const project::ResolvedProject& project) {
  const auto& list = project.instances;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < list.size(); ++i)
    index[key_of(list[i])] = i;
  std::vector<std::vector<std::size_t>> deps(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    for (const auto& link : list[i].links) {
      auto it = index.find(link.service + "/" + link.instance);
      if (!link.instance.empty() && it != index.end() && it->second != i)
        deps[i].push_back(it->second);
    }
  }
  // Cycle check by depth-first search, reporting the cycle path.
  std::vector<int> color(list.size(), 0);
  std::vector<std::size_t> stack;
  std::function<void(std::size_t)> visit = [&](std::size_t n) {
    color[n] = 1;
    stack.push_back(n);
    for (std::size_t d : deps[n]) {
      if (color[d] == 1) {
        std::vector<std::string> path;
        auto from = std::find(stack.begin(), stack.end(), d);
        for (auto it = from; it != stack.end(); ++it)
          path.push_back(key_of(list[*it]));
        path.push_back(key_of(list[d]));
        // The entry whose link closes the cycle is where to break it.
        fail(ErrorKind::config, "{}:{}: link cycle: {}", list[n].conf, list[n].conf_line,
             strings::join(path, " -> "));
      }
      if (color[d] == 0)
        visit(d);
    }
    stack.pop_back();
    color[n] = 2;
  };
  for (std::size_t i = 0; i < list.size(); ++i)
    if (color[i] == 0)
      visit(i);

  std::vector<const ResolvedInstance*> order;
  std::vector<bool> done(list.size(), false);
  auto ready = [&](std::size_t i) {
    return std::all_of(deps[i].begin(), deps[i].end(), [&](std::size_t d) { return done[d]; });
  };
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].is_dns) {
      order.push_back(&list[i]);
      done[i] = true;
    }
  while (order.size() < list.size()) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!done[i] && ready(i)) {
        order.push_back(&list[i]);
        done[i] = true;
        break;
      }
    }
  }
  return order;
}

// Why a running container differs, from what its labels and image say.
std::pair<RecreateReason, std::string> why_changed(const ObservedContainer& c, const ResolvedInstance& r) {
  if (!r.image_id.empty() && !c.image_id.empty() && c.image_id != r.image_id)
    return {RecreateReason::image_changed, "image changed"};
  std::string type = c.label(project::k_label_instance_type);
  if (type != project::to_string(r.type))
    return {RecreateReason::type_changed,
            fmt::format("instance type changed ({} -> {})", type, project::to_string(r.type))};
  if (c.label(project::k_label_conf) != r.conf)
    return {RecreateReason::conf_changed,
            fmt::format("run conf changed ({} -> {})", c.label(project::k_label_conf), r.conf)};
  if (r.image_id.empty()) // built by this plan (plan_up)
    return {RecreateReason::image_changed, "image not built yet"};
  return {RecreateReason::config_changed, "configuration changed"};
}

// Hands out the addresses of the project /24 that nothing observed holds, lowest first, from .3
// (.1 is the gateway, .2 the DNS's, docs/decisions.md 11).
class Addresses {
public:
  Addresses(const std::string& subnet, const ObservedState& observed, const std::string& project)
      : m_subnet(subnet) {
    for (const auto& c : observed.containers)
      if (c.label(project::k_label_project) == project && !c.ip.empty())
        m_taken.insert(c.ip);
  }
  // The next free address, or "" when the subnet is not known or full (then the daemon chooses).
  std::string next() {
    if (m_subnet.empty())
      return "";
    for (; m_host < 255; ++m_host) {
      std::string ip = project::subnet_host(m_subnet, m_host);
      if (m_taken.insert(ip).second)
        return ip;
    }
    return "";
  }

private:
  std::string m_subnet;
  std::set<std::string> m_taken;
  int m_host = 3;
};

class Builder {
public:
  explicit Builder(Plan& plan) : m_plan(plan) {}

  int add(Operation op) {
    op.id = static_cast<int>(m_plan.operations.size()) + 1;
    std::sort(op.after.begin(), op.after.end());
    op.after.erase(std::unique(op.after.begin(), op.after.end()), op.after.end());
    m_plan.operations.push_back(std::move(op));
    return m_plan.operations.back().id;
  }

private:
  Plan& m_plan;
};

} // namespace

Plan plan_run(const project::ResolvedProject& project, const ObservedState& observed,
              const RunOptions& options) {
  Plan plan;
  plan.command = options.command;
  plan.project = project.name;
  plan.notices = project.messages.notices;
  plan.warnings = project.messages.warnings;
  Builder b(plan);

  int network_op = 0;
  bool needs_network = std::any_of(project.instances.begin(), project.instances.end(),
                                   [](const ResolvedInstance& r) { return !r.nethost; });
  bool network_exists = std::any_of(observed.networks.begin(), observed.networks.end(),
                                    [&](const ObservedNetwork& n) { return n.name == project.network; });
  if (needs_network && !network_exists) {
    Operation op;
    op.kind = OpKind::create_network;
    op.target = project.network;
    op.subnet = options.subnet;
    op.cause = "not created yet";
    op.labels = {{std::string(project::k_label_project), project.name}};
    network_op = b.add(std::move(op));
  }

  Addresses addresses(options.subnet, observed, project.name);
  std::map<std::string, int> ready_op; // service/instance -> the op its dependents wait for
  for (const ResolvedInstance* r : start_order(project)) {
    std::vector<int> after;
    if (network_op && !r->nethost)
      after.push_back(network_op);
    for (const auto& link : r->links)
      if (auto it = ready_op.find(link.service + "/" + link.instance); it != ready_op.end())
        after.push_back(it->second);
    if (!r->is_dns && !r->dns_server.empty())
      for (const auto& other : project.instances)
        if (other.is_dns)
          after.push_back(ready_op.at(key_of(other)));

    const ObservedContainer* c = find_container(observed, project.name, r->service, r->instance);
    Operation main;
    main.target = r->container_name;
    main.instance = *r;
    main.after = after;
    bool dns_in_use = !r->dns_server.empty() && !r->nethost && r->dns_policy != project::DnsPolicy::hide;
    if (c && c->is_up()) {
      std::string hash = c->label(project::k_label_config_hash);
      main.container_id = c->id;
      main.image_id = c->image_id;
      if (hash == r->config_hash && !options.force_recreate) {
        main.kind = OpKind::keep;
        main.cause = "up to date";
        int kept = b.add(std::move(main));
        // Registration is part of the desired state (a run killed between start and registration).
        if (dns_in_use && records_missing(observed, *r, c->ip, project.zone))
          kept = b.add(register_op(*r, project.zone, {kept}, "records missing in the zone"));
        ready_op[key_of(*r)] = kept;
        continue;
      }
      main.kind = OpKind::recreate;
      if (options.force_recreate) {
        main.reason = RecreateReason::rerun;
        main.cause = "rerun requested";
      } else {
        std::tie(main.reason, main.cause) = why_changed(*c, *r);
      }
      if (dns_in_use) {
        Operation dereg;
        dereg.kind = OpKind::dns_deregister;
        dereg.target = r->container_name;
        dereg.container_id = c->id;
        dereg.service = r->service;
        dereg.instance_name = r->instance;
        dereg.zone = project.zone;
        dereg.dns_server = r->dns_server;
        dereg.policy = r->dns_policy;
        dereg.after = after;
        dereg.cause = "before the recreate";
        main.after = {b.add(std::move(dereg))};
      }
    } else if (c) {
      main.kind = OpKind::replace;
      main.container_id = c->id;
      main.image_id = c->image_id;
      main.cause = fmt::format("container is {}", c->state);
    } else {
      main.kind = OpKind::create;
      main.cause = "not created yet";
    }
    if (!r->nethost && r->ipv4_address.empty())
      main.address = addresses.next();
    int last = b.add(std::move(main));
    if (dns_in_use)
      last = b.add(
          register_op(*r, project.zone, {last},
                      fmt::format("{}.{} and {}.{}", r->hostname, project.zone, r->service, project.zone)));
    // Waiting steps on this instance, each after the previous one.
    auto wait_step = [&](OpKind kind, int seconds, const char* cause) {
      Operation op;
      op.kind = kind;
      op.target = r->container_name;
      op.seconds = seconds;
      op.after = {last};
      op.cause = cause;
      last = b.add(std::move(op));
    };
    if (r->wait)
      wait_step(OpKind::wait_ready, r->ready_timeout, "until \"[dockerops] ready\"");
    if (r->sleep > 0)
      wait_step(OpKind::sleep, r->sleep, "run.conf sleep");
    ready_op[key_of(*r)] = last;
  }

  // Scale-in: the instances of a counted entry above its count go, highest number first, each out
  // of the DNS before it stops.
  std::set<std::string> scaled_in;
  for (const auto& set : project.counted)
    for (const auto* c : detail::beyond_count(observed, project.name, set)) {
      detail::RemovalSteps steps;
      steps.dns_server = project_dns_server(project);
      steps.deregister = !steps.dns_server.empty();
      steps.zone = project.zone;
      steps.drain = detail::drain_of(*c);
      steps.cause =
          fmt::format("scale-in: {}/{}1..{}{} are wanted", set.service, set.prefix, set.prefix, set.count);
      detail::add_removal(plan, *c, steps);
      scaled_in.insert(c->id);
    }

  if (options.remove_orphans) {
    std::vector<const ObservedContainer*> orphans;
    for (const auto& c : observed.containers) {
      if (c.label(project::k_label_project) != project.name || scaled_in.count(c.id))
        continue;
      std::string key = c.label(project::k_label_service) + "/" + c.label(project::k_label_instance);
      if (!ready_op.count(key))
        orphans.push_back(&c);
    }
    std::sort(orphans.begin(), orphans.end(),
              [](const ObservedContainer* a, const ObservedContainer* b2) { return a->name < b2->name; });
    std::string dns_server = project_dns_server(project);
    for (const auto* c : orphans) {
      std::vector<int> after;
      if (!dns_server.empty() && c->state == "running") {
        Operation dereg;
        dereg.kind = OpKind::dns_deregister;
        dereg.target = c->name;
        dereg.container_id = c->id;
        dereg.service = c->label(project::k_label_service);
        dereg.instance_name = c->label(project::k_label_instance);
        dereg.zone = project.zone;
        dereg.dns_server = dns_server;
        dereg.cause = "before the remove";
        after.push_back(b.add(std::move(dereg)));
      }
      Operation op;
      op.after = after;
      op.kind = OpKind::remove;
      op.target = c->name;
      op.container_id = c->id;
      op.image_id = c->image_id;
      op.cause = "orphan: not in the run conf";
      b.add(std::move(op));
    }
  }
  add_dns_sync(plan, project, observed);
  return plan;
}

} // namespace dockerops::plan
