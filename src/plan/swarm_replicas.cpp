#include "plan/swarm_replicas.hpp"

#include "project/model.hpp"
#include "project/swarm_names.hpp"

#include <map>
#include <tuple>

namespace dockerops::plan {
namespace {

SwarmReplica replica(const ObservedSwarm& swarm, const ObservedService& s, const ObservedTask* task) {
  SwarmReplica r;
  r.service = &s;
  r.task = task;
  bool counted = project::is_counted_service(s.labels);
  r.instance = task || !counted ? project::task_instance(s.labels, task ? task->slot : 0)
                                : project::counted_instances(s.label(project::k_label_instance_prefix));
  if (s.label(project::k_label_stopped) == "true") {
    r.state = "stopped";
    return r;
  }
  if (task == nullptr) {
    r.state = "pending";
    return r;
  }
  r.state = task->desired_state == "ready" ? "starting" : task->state;
  if (const ObservedNode* node = swarm.node(task->node_id))
    r.node = node->hostname;
  std::string pinned = s.label(project::k_label_node);
  const ObservedNode* pin = pinned.empty() ? nullptr : swarm.node(pinned);
  // Its node is away and no task of it runs (a task of the lost node may still say running: it is
  // desired shut down).
  if (pin != nullptr && !pin->is_ready() && (task->state != "running" || task->desired_state != "running")) {
    r.state = "waiting-for-node";
    r.node = pin->hostname;
  }
  return r;
}

} // namespace

std::vector<SwarmReplica> swarm_replicas(const ObservedSwarm& swarm) {
  std::vector<SwarmReplica> result;
  for (const auto& s : swarm.services) {
    // The current task of each slot (of each node for a global service): one desired running first,
    // a running one first among those. A restart with a delay (a rescheduled task too) is desired
    // "ready" until the delay ends: its slot is still there, starting, or a counted replica would
    // vanish for that moment (and the agent would lose the node it ran on).
    auto rank = [](const ObservedTask& t) {
      return (t.desired_state == "running" ? 2 : 0) + (t.state == "running" ? 1 : 0);
    };
    std::map<std::tuple<int, std::string>, const ObservedTask*> current;
    for (const auto& t : s.tasks) {
      if (t.desired_state != "running" && t.desired_state != "ready")
        continue;
      auto& chosen = current[{t.slot, s.global ? t.node_id : std::string()}];
      if (chosen == nullptr || rank(*chosen) < rank(t))
        chosen = &t;
    }
    if (current.empty()) {
      SwarmReplica r = replica(swarm, s, s.tasks.empty() ? nullptr : &s.tasks.front());
      // Its latest task is not meant to run (a lost node's may still say running): a new one comes.
      if (r.state != "stopped" && r.state != "waiting-for-node" && r.task != nullptr)
        r.state = r.state == "pending" ? "pending" : "starting";
      result.push_back(std::move(r));
      continue;
    }
    for (const auto& [slot, task] : current)
      result.push_back(replica(swarm, s, task));
  }
  return result;
}

} // namespace dockerops::plan
