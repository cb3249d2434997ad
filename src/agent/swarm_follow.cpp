#include "agent/swarm_follow.hpp"

#include "plan/swarm_replicas.hpp"

#include "project/counted.hpp"
#include "project/model.hpp"
#include "project/swarm_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace dockerops::agent {
namespace {

ObservedInstance from_service(const plan::ObservedService& s) {
  ObservedInstance o;
  o.service = s.label(project::k_label_service);
  o.instance = s.label(project::k_label_instance);
  o.type = s.label(project::k_label_instance_type);
  o.conf = s.label(project::k_label_conf);
  o.config_hash = s.label(project::k_label_config_hash);
  o.restart = s.label(project::k_label_restart);
  if (o.restart.empty())
    o.restart = "no";
  o.watches = s.label(project::k_label_watches);
  o.container_name = s.name;
  return o;
}

} // namespace

std::vector<ObservedInstance> swarm_instances(const plan::ObservedSwarm& swarm) {
  std::vector<ObservedInstance> result;
  for (const auto& r : plan::swarm_replicas(swarm)) {
    const plan::ObservedService& s = *r.service;
    if (!s.label(project::k_label_role).empty() || s.label(project::k_label_service).empty())
      continue;
    ObservedInstance o = from_service(s);
    o.instance = r.instance;
    o.state = r.state;
    o.node = r.node;
    if (r.task != nullptr && r.state != "stopped") {
      o.container_id = r.task->container_id;
      o.ip = r.task->ip;
    }
    result.push_back(std::move(o));
  }
  std::sort(result.begin(), result.end(), [](const ObservedInstance& a, const ObservedInstance& b) {
    return std::tie(a.service, a.instance, a.node) < std::tie(b.service, b.instance, b.node);
  });
  return result;
}

namespace {

Event observed_event(const std::string& service, const std::string& instance, const std::string& action,
                     const std::string& reason) {
  Event event;
  event.service = service;
  event.instance = instance;
  event.action = action;
  event.reason = reason;
  event.outcome = "observed";
  event.source = "agent";
  return event;
}

} // namespace

std::vector<Event> follow_swarm(SwarmMemory& memory, const std::vector<ObservedInstance>& instances,
                                const std::vector<plan::ObservedNode>& nodes) {
  std::vector<Event> events;
  for (const auto& n : nodes) {
    // "ready", "down", "unknown", "disconnected", or the availability of a ready node ("drain", "pause").
    std::string state = n.is_ready() ? "ready" : n.state == "ready" ? n.availability : n.state;
    auto it = memory.node_states.find(n.hostname);
    bool changed = it == memory.node_states.end() ? state != "ready" : it->second != state;
    if (changed && (memory.known || state != "ready")) {
      std::string action = state == "ready"     ? "node-ready"
                           : n.state == "ready" ? "node-" + state
                                                : "node-down";
      Event event = observed_event("", "", action, fmt::format("node {} is {}", n.hostname, state));
      event.details["node"] = n.hostname;
      events.push_back(std::move(event));
    }
    memory.node_states[n.hostname] = state;
  }

  // A key seen more than once is a global service (one task per node): it never moves.
  std::map<std::string, int> seen;
  for (const auto& o : instances)
    ++seen[o.service + "/" + o.instance];
  for (const auto& o : instances) {
    std::string key = o.service + "/" + o.instance;
    if (seen[key] > 1)
      continue;
    bool waiting = o.state == "waiting-for-node";
    if (waiting && !memory.waiting[key]) {
      Event event =
          observed_event(o.service, o.instance, "waiting-for-node",
                         fmt::format("pinned to node {}, which is down: it runs again when the node "
                                     "returns",
                                     o.node));
      event.details["node"] = o.node;
      events.push_back(std::move(event));
    }
    memory.waiting[key] = waiting;
    if (o.state == "stopped") {
      memory.node_of.erase(key); // a start may place it anywhere: no relocation
      continue;
    }
    if (o.state != "running" || o.node.empty())
      continue;
    auto last = memory.node_of.find(key);
    if (memory.known && last != memory.node_of.end() && last->second != o.node) {
      Event event =
          observed_event(o.service, o.instance, "relocated",
                         fmt::format("its task moved from node {} to node {}", last->second, o.node));
      event.details["old_node"] = last->second;
      event.details["new_node"] = o.node;
      event.details["ip"] = o.ip;
      events.push_back(std::move(event));
    }
    memory.node_of[key] = o.node;
  }
  // An instance that is gone (cleaned) starts afresh when it comes back.
  std::erase_if(memory.node_of, [&](const auto& entry) { return seen.count(entry.first) == 0; });
  std::erase_if(memory.waiting, [&](const auto& entry) { return seen.count(entry.first) == 0; });
  memory.known = true;
  return events;
}

std::size_t relocation_count(const std::vector<Event>& events) {
  return static_cast<std::size_t>(
      std::count_if(events.begin(), events.end(), [](const Event& e) { return e.action == "relocated"; }));
}

} // namespace dockerops::agent
